export { FORMATS, contentWorkKey, writerAgent, type ContentFormat } from './writer-agent.ts';
