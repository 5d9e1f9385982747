#!/usr/bin/env node
// The `liveboard` command (bin/liveboard.js imports this after making sure dist is built).
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
