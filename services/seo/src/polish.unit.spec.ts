import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OfflineModelProvider,
  type Completion,
  type CompletionRequest,
  type ModelProvider,
} from '@paxfleet/models';
import { polishRecommendations } from './polish.ts';

const advice = [
  'Title is 72 characters; keep it under 60',
  "Keyword 'kafka' makes up 4.1% of the words; keep it between 0.5% and 2.5%",
  'Add a meta description of 50 to 160 characters',
];

/** A model that answers with fixed text and remembers the prompts it was given. */
function scriptedModel(answer: string): ModelProvider & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    name: 'scripted',
    prompts,
    complete(request: CompletionRequest): Promise<Completion> {
      prompts.push(request.prompt);
      return Promise.resolve({ text: answer, model: 'scripted-1', provider: 'scripted' });
    },
  };
}

describe('polishRecommendations', () => {
  it('leaves the computed advice alone with the offline provider', async () => {
    const outcome = await polishRecommendations(new OfflineModelProvider(), advice, {
      title: 'Kafka',
    });
    assert.deepEqual(outcome, { recommendations: advice, polished: 0 });
  });

  it('uses a rewrite only where it keeps every number and quoted term', async () => {
    const model = scriptedModel(
      [
        '1. Shorten the title from 72 characters to under 60.',
        "- Use 'kafka' less: it is 4.1% of the words, aim for 0.5% to 2.5%.",
        'Write a meta description.',
      ].join('\n'),
    );
    const outcome = await polishRecommendations(model, advice, { title: 'Kafka' });
    assert.deepEqual(outcome.recommendations, [
      'Shorten the title from 72 characters to under 60.',
      "Use 'kafka' less: it is 4.1% of the words, aim for 0.5% to 2.5%.",
      // The rewrite lost "50 to 160": the original stands.
      'Add a meta description of 50 to 160 characters',
    ]);
    assert.equal(outcome.polished, 2);
    assert.match(model.prompts[0] ?? '', /Title is 72 characters; keep it under 60/);
  });

  it('keeps everything when the model answers with a different number of lines', async () => {
    const outcome = await polishRecommendations(
      scriptedModel('Just one line about 72 and 60.'),
      advice,
      {
        title: 'Kafka',
      },
    );
    assert.deepEqual(outcome, { recommendations: advice, polished: 0 });
  });

  it('does not call the model when there is nothing to polish', async () => {
    const model = scriptedModel('');
    assert.deepEqual(await polishRecommendations(model, [], { title: 'Kafka' }), {
      recommendations: [],
      polished: 0,
    });
    assert.equal(model.prompts.length, 0);
  });
});
