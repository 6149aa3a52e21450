// Entry of a segment worker thread: worker threads do not inherit the TypeScript loader that
// `tsx` registered in the main thread, so register it here before loading the worker's code
// (https://tsx.is/dev-api/register-esm).
import { register } from 'tsx/esm/api';

register();
await import('./segment-worker.ts');
