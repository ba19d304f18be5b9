export { contentWorkKey, writerAgent } from './writer-agent.ts';
