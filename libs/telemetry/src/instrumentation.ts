// Loaded with `node --import` before the service itself, so the HTTP server is
// instrumented from its first request.
import { startTelemetry } from './telemetry.ts';

startTelemetry();
