import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keywordsByFrequency, scoreContent, WEIGHTS, type SeoInput } from './seo-score.ts';

const POOL = (
  'teams dashboards budgets pipelines alerts runbooks owners vendors costs adoption plans latency ' +
  'errors retries queues workers models prompts tokens spans traces metrics logs incidents outages ' +
  'reviews audits releases rollouts capacity scaling clusters brokers topics partitions offsets ' +
  'consumers producers schemas contracts handoffs escalations pagers windows baselines ' +
  'targets objectives samples exports collectors storage retention queries filters views ' +
  'reports charts panels widgets summaries narratives lessons habits rituals'
).split(' ');

/** Paragraphs of varied words, with "agent tracing" every sixty words (about 1.7% each). */
function paragraphs(wordsWanted: number): string[] {
  const result: string[] = [];
  let sentence: string[] = [];
  let paragraph: string[] = [];
  for (let index = 0; index < wordsWanted; index++) {
    sentence.push(index % 60 === 0 ? 'agent tracing' : (POOL[index % POOL.length] as string));
    if (sentence.length === 8) {
      paragraph.push(`${sentence.join(' ')}.`);
      sentence = [];
    }
    if (paragraph.length === 4) {
      result.push(paragraph.join(' '));
      paragraph = [];
    }
  }
  if (sentence.length > 0) paragraph.push(`${sentence.join(' ')}.`);
  if (paragraph.length > 0) result.push(paragraph.join(' '));
  return result;
}

/** A well-formed post: one H1, three H2s, a meta description, the topic up front. */
function goodPost(wordsWanted: number): string {
  const text = paragraphs(wordsWanted);
  const third = Math.ceil(text.length / 3);
  return [
    '---',
    'description: How agent tracing shows what every AI agent in a fleet is doing, step by step.',
    '---',
    '# Agent Tracing for AI Fleets',
    '',
    text.slice(0, third).join('\n\n'),
    '',
    '## Why it matters',
    '',
    text.slice(third, 2 * third).join('\n\n'),
    '',
    '## How to start',
    '',
    text.slice(2 * third).join('\n\n'),
    '',
    '## Next steps',
    '',
    'Start small.',
  ].join('\n');
}

const good: SeoInput = {
  title: 'Agent Tracing: How to See What Your Fleet Does',
  body: goodPost(700),
  format: 'blog_post',
  topic: 'agent-tracing',
};

describe('keywordsByFrequency', () => {
  it('ranks words by how often they occur, without stop words, ties in order of first use', () => {
    const text =
      'The tracing of agents. Tracing agents and the tracing of spans; spans matter. Kafka!';
    assert.deepEqual(keywordsByFrequency(text), ['tracing', 'agents', 'spans', 'matter', 'kafka']);
    assert.deepEqual(keywordsByFrequency(text, 2), ['tracing', 'agents']);
  });

  it('ignores numbers, short words and Markdown punctuation', () => {
    assert.deepEqual(keywordsByFrequency('## 2026 AI is ok: **kubernetes** kubernetes-native 42'), [
      'kubernetes',
      'kubernetes-native',
    ]);
  });
});

describe('scoreContent', () => {
  it('gives full marks to content that meets every criterion', () => {
    const result = scoreContent(good);
    assert.deepEqual(result.recommendations, []);
    assert.equal(result.score, 100);
    assert.deepEqual(result.points, WEIGHTS);
    assert.equal(result.keywords[0], 'agent');
    assert.ok(result.keywords.includes('tracing'));
    assert.ok(result.wordCount >= 600);
  });

  it('is deterministic', () => {
    assert.deepEqual(scoreContent(good), scoreContent({ ...good }));
  });

  it('says how long the title is and what to aim for', () => {
    const long = scoreContent({
      ...good,
      title: `Agent Tracing: ${'a very long title '.repeat(4)}`.trim(),
    });
    const chars = [...`Agent Tracing: ${'a very long title '.repeat(4)}`.trim()].length;
    assert.ok(chars > 60);
    assert.ok(long.recommendations.includes(`Title is ${chars} characters; keep it under 60`));
    assert.ok(long.score < 100);

    const short = scoreContent({ ...good, title: 'Agent tracing' });
    assert.ok(short.recommendations.includes('Title is 13 characters; aim for 30 to 60'));
  });

  it('asks for a meta description and offers the summary when it fits', () => {
    const body = good.body.replace(/^---\n[\s\S]*?\n---\n/, '');
    const summary =
      'Agent tracing follows each step of an AI agent so teams can see what went wrong.';
    const result = scoreContent({ ...good, body, summary });
    assert.equal(result.points.metaDescription, 0);
    assert.equal(result.score, 100 - WEIGHTS.metaDescription);
    assert.deepEqual(result.recommendations, [
      `Add a meta description of 50 to 160 characters; the summary (${summary.length} characters) would fit`,
    ]);
    const withoutSummary = scoreContent({ ...good, body });
    assert.deepEqual(withoutSummary.recommendations, [
      'Add a meta description of 50 to 160 characters',
    ]);
  });

  it('reads a meta description from an HTML meta tag and judges its length', () => {
    const body = good.body.replace(
      /^---\n[\s\S]*?\n---\n/,
      '<meta name="description" content="Too short.">\n',
    );
    const result = scoreContent({ ...good, body });
    assert.equal(result.points.metaDescription, WEIGHTS.metaDescription / 2);
    assert.ok(
      result.recommendations.includes(
        'Meta description is 10 characters; keep it between 50 and 160',
      ),
    );
  });

  it('wants one top-level heading and at least two subheadings', () => {
    const flat = scoreContent({ ...good, body: good.body.replace(/^#+ .*$/gm, '') });
    assert.equal(flat.points.headings, 0);
    assert.ok(flat.recommendations.includes('Add a top-level heading (# Title)'));
    assert.ok(
      flat.recommendations.includes(
        'Add subheadings (##) to break up the text; found 0, aim for at least 2',
      ),
    );
    const twoTitles = scoreContent({
      ...good,
      body: good.body.replace('## Why it matters', '# Why it matters'),
    });
    assert.ok(twoTitles.recommendations.includes('Use a single top-level heading; found 2'));
  });

  it('scores short content by its share of the words expected of its format', () => {
    const short = scoreContent({ ...good, body: goodPost(150) });
    assert.ok(short.wordCount < 300);
    assert.equal(short.points.length, Math.min(25, (25 * short.wordCount) / 600));
    assert.ok(
      short.recommendations.includes(
        `Body has ${short.wordCount} words; aim for at least 600 for a blog post`,
      ),
    );
    const deck = scoreContent({ ...good, format: 'prospect_deck', body: goodPost(300) });
    assert.equal(deck.points.length, WEIGHTS.length);
  });

  it('penalises keyword stuffing and names the keyword and its density', () => {
    const stuffed = `# Kubernetes\n\n${'kubernetes observability for teams. '.repeat(40)}\n\n## A\n\nx\n\n## B\n\ny`;
    const result = scoreContent({ ...good, body: stuffed });
    assert.equal(result.keywords[0], 'kubernetes');
    assert.ok(result.keywordDensity > 20);
    assert.equal(result.points.keywordDensity, 0);
    assert.ok(
      result.recommendations.includes(
        `Keyword 'kubernetes' makes up ${result.keywordDensity}% of the words; keep it between 0.5% and 2.5%`,
      ),
    );
  });

  it('wants the topic in the title and in the first paragraph', () => {
    const result = scoreContent({ ...good, topic: 'kafka-streams' });
    assert.equal(result.points.topicInTitle, 0);
    assert.equal(result.points.topicInOpening, 0);
    assert.ok(result.recommendations.includes("Put the topic 'kafka streams' in the title"));
    assert.ok(result.recommendations.includes("Mention 'kafka streams' in the first paragraph"));
  });

  it('lists the recommendations that cost the most points first', () => {
    const result = scoreContent({
      title: 'Hi',
      body: 'Hello there.',
      format: 'newsletter',
      topic: 'agent-tracing',
    });
    assert.ok(result.score < 20);
    assert.match(
      result.recommendations[0] ?? '',
      /^Body has 2 words; aim for at least 400 for a newsletter$/,
    );
    assert.equal(result.recommendations.length, 8);
  });

  it('scores an empty body without failing', () => {
    const result = scoreContent({ title: '', body: '', format: 'blog_post', topic: 'x' });
    assert.equal(result.score, 0 + WEIGHTS.topicInTitle + WEIGHTS.topicInOpening);
    assert.deepEqual(result.keywords, []);
    assert.ok(result.recommendations.includes('Add body text: there is nothing to rank for'));
    assert.ok(result.recommendations.includes('Add a title of 30 to 60 characters'));
  });
});
