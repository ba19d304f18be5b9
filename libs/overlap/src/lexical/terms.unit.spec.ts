import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GENERIC_WEIGHT, subjectTerms } from './terms.ts';

const stems = (subject: string): string[] => subjectTerms(subject).map((term) => term.stem);
/** The terms in sorted order: for comparing subjects whose words come in another order. */
const termSet = (subject: string): string[] => stems(subject).sort();

it('abbreviations and synonyms, one word or several, become one canonical term', () => {
  assert.deepEqual(termSet('k8s-autoscaling'), termSet('kubernetes-autoscaling'));
  assert.deepEqual(termSet('pg-replication'), termSet('postgresql-replication'));
  assert.deepEqual(termSet('evaluating-large-language-models'), termSet('llm-evaluation'));
  assert.deepEqual(termSet('generative-ai-for-support'), termSet('genai-support'));
  assert.deepEqual(termSet('ml-model-drift'), termSet('machine-learning-model-drift'));
  assert.deepEqual(termSet('ci-cd-pipelines'), termSet('continuous-delivery-pipelines'));
  assert.deepEqual(termSet('api-auth'), termSet('api-authentication'));
});

it('synonyms apply to what synonyms made: multiple ai agents → multiple agents → multiagent', () => {
  assert.deepEqual(
    termSet('orchestrating-multiple-ai-agents'),
    termSet('multi-agent-orchestration'),
  );
});

it('stop words and filler are dropped, a subject of filler alone keeps its words', () => {
  assert.deepEqual(stems('introduction-to-distributed-tracing'), ['distribut', 'trace']);
  assert.deepEqual(stems('getting-started-with-kafka-connect'), ['kafka', 'connect']);
  assert.deepEqual(stems('the-guide'), ['guid']);
});

it('a short version number joins the word before it, and digits are kept', () => {
  assert.deepEqual(stems('soc-2-compliance'), stems('soc2-compliance'));
  assert.deepEqual(stems('iso-27001'), ['iso', '27001']);
});

it('generic words count less than the words that say what the work is', () => {
  assert.deepEqual(
    subjectTerms('agent-observability-platforms').map((term) => term.weight),
    [1, 1, GENERIC_WEIGHT],
  );
});
