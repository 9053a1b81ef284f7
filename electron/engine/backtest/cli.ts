import { runCli } from './cli-main';

void runCli(process.argv.slice(2), process).then((code) => process.exit(code));
