// Entry point of `npm run gateway` (package.json runs `node nginx/run.mjs`): loads run.ts
// through tsx's CommonJS hook, so the gateway needs no build step.
import { require as tsxRequire } from 'tsx/cjs/api';

tsxRequire('./run.ts', import.meta.url);
