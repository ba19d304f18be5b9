import { OpenAICompatibleEmbedder } from '@paxfleet/models';
import { DEFAULT_THRESHOLDS, EmbeddingSimilarity, LexicalSimilarity } from '@paxfleet/overlap';
import type { CoordinatorConfig } from '../config.ts';
import { ComplementaryFormats, type OverlapIndexOptions } from './overlap-index.ts';

/** The overlap check CLAIM_OVERLAP_* asks for; undefined when it is off. */
export function overlapFromConfig(config: CoordinatorConfig): OverlapIndexOptions | undefined {
  const method = config.CLAIM_OVERLAP_METHOD;
  if (method === 'off') return undefined;
  const similarity =
    method === 'embedding'
      ? new EmbeddingSimilarity({
          embedder: new OpenAICompatibleEmbedder({
            baseUrl: config.MODEL_BASE_URL ?? '',
            model: config.CLAIM_OVERLAP_EMBEDDING_MODEL ?? '',
            timeoutMs: config.MODEL_TIMEOUT_MS,
            ...(config.MODEL_API_KEY && { apiKey: config.MODEL_API_KEY }),
          }),
        })
      : new LexicalSimilarity();
  return {
    similarity,
    threshold: config.CLAIM_OVERLAP_THRESHOLD ?? DEFAULT_THRESHOLDS[method],
    complementary: new ComplementaryFormats(config.CLAIM_OVERLAP_COMPLEMENTARY),
  };
}
