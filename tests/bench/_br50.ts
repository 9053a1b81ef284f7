import { benchBreakerReactions } from '/work/wt/i16/tests/bench/breaker-reaction';
console.log((await benchBreakerReactions()).join('\n'));
process.exit(0);
