export { seoAgent, type SeoAgentOptions } from './seo-agent.ts';
export { polishRecommendations, type PolishOutcome } from './polish.ts';
export {
  keywordsByFrequency,
  scoreContent,
  MIN_WORDS,
  WEIGHTS,
  type Criterion,
  type SeoInput,
  type SeoScore,
} from './seo-score.ts';
