/**
 * What a trader does in the cockpit, as steps the cockpit-*.spec.ts suites share.
 * Every step goes through the page, as a user would; the engine is only read
 * (over its own WebSocket) to check the page against the engine's numbers.
 */
import type { Locator, Page } from '@playwright/test';
import type { SessionSnapshot } from '../../shared/contract';
import type { Order, Side } from '../../shared/domain';
import { expect, openCockpit, type Cockpit, type EngineClient } from './fixtures';

export const BTC = 'BTC/USDT:USDT';
export const ETH = 'ETH/USDT:USDT';

/** Opens the cockpit and waits until the engine's snapshot has filled it (paper mode, a live mark price). */
export async function openLoadedCockpit(page: Page, cockpit: Cockpit): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openCockpit(page, cockpit);
  await expect(page.getByTestId('mode-badge')).toHaveText('PAPER');
  await expect(page.getByTestId('mark-price')).toHaveAttribute('data-price', /^\d/);
}

export async function numberAttribute(locator: Locator, name: string): Promise<number> {
  const raw = await locator.getAttribute(name);
  const value = Number(raw);
  if (raw === null || raw === '' || !Number.isFinite(value)) throw new Error(`${name} is not a number: ${JSON.stringify(raw)}`);
  return value;
}

/** The live mark of the chart's symbol, as the page shows it. */
export async function chartMark(page: Page): Promise<number> {
  return numberAttribute(page.getByTestId('mark-price'), 'data-price');
}

/** Shows `symbol` on the chart and waits for its mark. */
export async function showSymbol(page: Page, symbol: string): Promise<number> {
  await page.getByTestId('chart-symbol').selectOption(symbol);
  await expect(page.getByTestId('chart')).toHaveAttribute('data-history', 'ready');
  await expect.poll(() => chartMark(page).catch(() => 0)).toBeGreaterThan(0);
  return chartMark(page);
}

export interface TicketPlan {
  symbol: string;
  side: Side;
  /** Stop distance from mark, in percent. */
  stopPct?: number;
  /** Take-profit distance from mark, in percent. */
  takeProfitPct?: number;
  leverage?: number;
}

const round = (n: number) => Number(n.toPrecision(6));

/** Fills the trade ticket around the current mark and proposes; returns the new proposal's row. */
export async function proposeFromTicket(page: Page, plan: TicketPlan): Promise<Locator> {
  const mark = await showSymbol(page, plan.symbol);
  const direction = plan.side === 'long' ? 1 : -1;
  const stop = round(mark * (1 - (direction * (plan.stopPct ?? 1)) / 100));
  const takeProfit = round(mark * (1 + (direction * (plan.takeProfitPct ?? 2)) / 100));
  const before = await page.getByTestId('proposal').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

  await page.getByTestId('ticket-symbol').selectOption(plan.symbol);
  await page.getByTestId('ticket-side').selectOption(plan.side);
  await page.getByTestId('ticket-stop').fill(String(stop));
  await page.getByTestId('ticket-take-profit').fill(String(takeProfit));
  await page.getByTestId('ticket-entry').fill('');
  await page.getByTestId('ticket-leverage').fill(plan.leverage === undefined ? '' : String(plan.leverage));
  await page.getByTestId('ticket-propose').click();

  let created: string | undefined;
  await expect
    .poll(async () => {
      const ids = await page.getByTestId('proposal').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      created = ids.find((id): id is string => id !== null && !before.includes(id));
      return created;
    }, { message: 'a new proposal appears' })
    .toBeTruthy();
  const row = page.locator(`[data-testid="proposal"][data-id="${created}"]`);
  await expect(row).toHaveAttribute('data-symbol', plan.symbol);
  return row;
}

/** Proposes from the ticket and approves: the position must then be open, with its row in the table. */
export async function openPosition(page: Page, plan: TicketPlan): Promise<Locator> {
  const proposal = await proposeFromTicket(page, plan);
  await expect(proposal.getByTestId('proposal-verdict')).toHaveAttribute('data-ok', 'true');
  await proposal.getByTestId('proposal-approve').click();
  await expect(proposal).toHaveAttribute('data-status', 'executed');
  const row = page.locator(`[data-testid="position-row"][data-symbol="${plan.symbol}"]`);
  await expect(row).toHaveAttribute('data-side', plan.side);
  return row;
}

/** The engine's own view, read over a separate WebSocket. */
export async function engineSnapshot(engine: EngineClient): Promise<SessionSnapshot> {
  const result = await engine.call('session.snapshot', {});
  if (!result.ok) throw new Error(`session.snapshot refused: ${result.error.message}`);
  return result.value;
}

const OPEN = new Set<Order['status']>(['open', 'partially_filled']);

/** The engine's open stop or take-profit orders on one symbol, with the price each fires at. */
export function protectivePrices(orders: readonly Order[], symbol: string, purpose: 'stop' | 'take-profit'): number[] {
  return orders
    .filter((o) => o.symbol === symbol && o.purpose === purpose && OPEN.has(o.status))
    .map((o) => o.triggerPrice ?? o.price)
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b);
}

/** Every legend item's price for one kind of line, sorted. */
export async function legendPrices(page: Page, testId: string): Promise<number[]> {
  const prices = await page.getByTestId(testId).evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-price'))));
  return prices.sort((a, b) => a - b);
}
