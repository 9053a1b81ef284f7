declare const brand: unique symbol;

/** A number that the compiler will not confuse with another kind of number. */
export type Nominal<T, Name extends string> = T & { readonly [brand]: Name };

export type Price = Nominal<number, 'Price'>;
export type Quantity = Nominal<number, 'Quantity'>;
export type Leverage = Nominal<number, 'Leverage'>;
export type Usd = Nominal<number, 'Usd'>;

export const price = (n: number): Price => n as Price;
export const quantity = (n: number): Quantity => n as Quantity;
export const leverage = (n: number): Leverage => n as Leverage;
export const usd = (n: number): Usd => n as Usd;
