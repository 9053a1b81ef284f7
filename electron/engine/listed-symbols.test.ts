import { describe, expect, it } from 'vitest';
import { unlistedSymbolsProblem } from './listed-symbols';

const listed = ['ETH/USDT:USDT', 'BTC/USDT:USDT', 'SOL/USDT:USDT'];

describe('the settings symbol check', () => {
  it('passes symbols the exchange lists', () => {
    expect(unlistedSymbolsProblem(['BTC/USDT:USDT', 'SOL/USDT:USDT'], { exchange: 'paper', listed, current: [] })).toBeNull();
  });

  it('names the unlisted symbol and what the exchange offers instead', () => {
    expect(unlistedSymbolsProblem(['BTC/USDT:USDT', 'FOO/USDT:USDT'], { exchange: 'paper', listed, current: ['BTC/USDT:USDT'] })).toBe(
      'FOO/USDT:USDT is not listed on paper. Available: BTC/USDT:USDT, ETH/USDT:USDT, SOL/USDT:USDT.',
    );
    expect(unlistedSymbolsProblem(['FOO/USDT:USDT', 'BAR/USDT:USDT'], { exchange: 'paper', listed, current: [] })).toMatch(/^FOO\/USDT:USDT, BAR\/USDT:USDT are not listed on paper\./);
  });

  it('counts, rather than names, the rest of a long market list', () => {
    const many = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, '0')}/USDT:USDT`);
    const problem = unlistedSymbolsProblem(['FOO/USDT:USDT'], { exchange: 'binanceusdm', listed: many, current: [] })!;
    expect(problem).toContain('C00/USDT:USDT, C01/USDT:USDT');
    expect(problem).toContain('C11/USDT:USDT and 28 more.');
    expect(problem).not.toContain('C12/USDT:USDT');
  });

  it('while the market list has not loaded, keeps the symbols in force and refuses to take new ones on trust', () => {
    expect(unlistedSymbolsProblem(['BTC/USDT:USDT'], { exchange: 'binanceusdm', listed: [], current: ['BTC/USDT:USDT', 'ETH/USDT:USDT'] })).toBeNull();
    expect(unlistedSymbolsProblem(['BTC/USDT:USDT', 'FOO/USDT:USDT'], { exchange: 'binanceusdm', listed: [], current: ['BTC/USDT:USDT'] })).toBe(
      "FOO/USDT:USDT cannot be checked yet: binanceusdm's market list has not loaded. Try again once connected.",
    );
  });
});
