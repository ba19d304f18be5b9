import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditContent, auditResearch } from './audit.ts';

const minute = 60_000;
const hour = 60 * minute;

describe('auditResearch', () => {
  it('recommends the ranked keywords for a research topic', () => {
    const audit = auditResearch({
      topic: 'agent-tracing',
      keywords: ['agent tracing', 'spans', 'latency'],
      summary: 'Agent tracing shows each step.',
      ageMs: 2000,
      maxAgeMs: 10 * minute,
    });
    assert.deepEqual(audit, {
      findings: ["Recommended keywords for 'agent tracing': agent tracing, spans, latency"],
      severity: 'info',
    });
  });

  it('warns when no keyword shares a word with the topic: the time-travel symptom', () => {
    const audit = auditResearch({
      topic: 'agent-tracing',
      keywords: ['kubernetes observability', 'pods', 'clusters'],
      summary: null,
      ageMs: 12 * hour,
      maxAgeMs: 10 * minute,
    });
    assert.equal(audit.severity, 'warning');
    assert.deepEqual(audit.findings, [
      "Recommended keywords for 'agent tracing': kubernetes observability, pods, clusters",
      "Keywords for 'agent tracing' include no word of the topic ('agent', 'tracing'); the analysis may be about something else: it ranks 'kubernetes observability' first",
      'The research event carries no summary',
      "Audited a 12 h old event: it is still the newest research on 'agent-tracing'",
    ]);
  });

  it('warns when nothing could be ranked', () => {
    const audit = auditResearch({
      topic: 'x-y',
      keywords: [],
      summary: 's',
      ageMs: 0,
      maxAgeMs: 1,
    });
    assert.deepEqual(audit, {
      findings: ["No keywords could be derived from the research on 'x y'"],
      severity: 'warning',
    });
  });
});

describe('auditContent', () => {
  const base = {
    topic: 'agent-tracing',
    workKey: 'content:agent-tracing',
    ageMs: 1000,
    maxAgeMs: 10 * minute,
  };

  it("names research keywords the content never mentions, critical for the research's first", () => {
    const audit = auditContent({
      ...base,
      researchKeywords: ['kubernetes', 'agent tracing', 'spans', 'latency'],
      content: 'Agent tracing and agent-tracing spans, explained.',
    });
    assert.equal(audit.severity, 'critical');
    assert.deepEqual(audit.findings, [
      "Content mentions 'kubernetes' 0 times although research ranks it first",
      "Content mentions 'latency' 0 times although research ranks it fourth",
    ]);
  });

  it('warns for a missing keyword below the first', () => {
    const audit = auditContent({
      ...base,
      researchKeywords: ['spans', 'latency'],
      content: 'Spans everywhere.',
    });
    assert.equal(audit.severity, 'warning');
    assert.deepEqual(audit.findings, [
      "Content mentions 'latency' 0 times although research ranks it second",
    ]);
  });

  it('checks only the top five keywords and says when all are covered', () => {
    const audit = auditContent({
      ...base,
      researchKeywords: ['a1x', 'b2x', 'c3x', 'd4x', 'e5x', 'never-mentioned'],
      content: 'a1x b2x c3x d4x e5x',
    });
    assert.deepEqual(audit, {
      findings: ['Content covers all 5 top research keywords: a1x, b2x, c3x, d4x, e5x'],
      severity: 'info',
    });
  });

  it('warns when no research on the topic has been seen, and notes an old but newest result', () => {
    const audit = auditContent({
      ...base,
      researchKeywords: undefined,
      content: 'text',
      ageMs: 2 * hour,
    });
    assert.equal(audit.severity, 'warning');
    assert.deepEqual(audit.findings, [
      "No research on 'agent tracing' has been seen; the content could not be checked against it",
      'Audited a 2 h old event: it is still the newest result for content:agent-tracing',
    ]);
  });
});
