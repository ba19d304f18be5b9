/**
 * The vocabulary the lexical method knows, written as plain words (each is stemmed
 * when the method loads, so plurals and inflections need no entry of their own).
 *
 * What belongs here is general knowledge of the words topics are written in: a
 * synonym or abbreviation any practitioner would expand the same way (k8s is
 * Kubernetes, pg is Postgres), a word that says how a piece is written rather than
 * what it is about (a guide, an introduction), a word so common in topics that it
 * names the kind of subject rather than the subject (a platform, a strategy). What
 * does not belong: an entry added to make one labelled pair of data/topic-pairs.tsv
 * come out right; the benchmark's figures are only worth something without those.
 */

/**
 * Synonym groups: the first entry is the canonical form, the others (words or
 * phrases) are replaced by it. A phrase matches consecutive words after stop words
 * are dropped ("retrieval augmented generation", "bill of materials" → "bill materials").
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // AI and machine learning
  ['llm', 'large language model', 'language model', 'foundation model'],
  ['slm', 'small language model'],
  ['agent', 'ai agent', 'llm agent', 'agentic ai', 'autonomous agent', 'genai agent'],
  ['multiagent', 'multi agent', 'multiple agent'],
  ['genai', 'generative ai', 'gen ai'],
  ['ai', 'artificial intelligence'],
  ['ml', 'machine learning'],
  ['mlops', 'ml ops', 'ml operations'],
  ['llmops', 'llm ops', 'llm operations'],
  ['rag', 'retrieval augmented generation'],
  ['finetune', 'fine tune', 'fine tuning'],
  ['evaluation', 'eval'],
  ['nlp', 'natural language processing'],
  // Observability and operations
  ['observability', 'monitoring', 'monitor', 'tracking', 'o11y'],
  ['opentelemetry', 'otel', 'open telemetry'],
  ['slo', 'service level objective'],
  ['sla', 'service level agreement'],
  ['sli', 'service level indicator'],
  ['postmortem', 'post mortem', 'incident review'],
  // Cloud, platforms and delivery
  ['kubernetes', 'k8s', 'kube'],
  ['aws', 'amazon web services'],
  ['gcp', 'google cloud platform', 'google cloud'],
  ['multicloud', 'multi cloud'],
  ['microservice', 'micro service'],
  ['serverless', 'server less'],
  [
    'cicd',
    'ci cd',
    'ci',
    'cd',
    'continuous integration',
    'continuous delivery',
    'continuous deployment',
  ],
  ['iac', 'infrastructure as code'],
  ['argocd', 'argo cd'],
  ['finops', 'cloud financial operations', 'financial operations'],
  // Data and databases
  ['database', 'db', 'datastore', 'data store'],
  ['postgres', 'pg', 'postgresql', 'postgre'],
  ['mongodb', 'mongo'],
  ['cdc', 'change data capture'],
  ['etl', 'extract transform load'],
  // Security
  ['authentication', 'auth', 'authn'],
  ['authorization', 'authz'],
  ['mfa', 'multi factor authentication', 'two factor authentication', '2fa'],
  ['sbom', 'software bill of materials', 'bill of materials'],
  ['secret', 'credential'],
  ['vulnerability', 'vuln', 'cve'],
  // Software and the web
  ['javascript', 'js'],
  ['nextjs', 'next js'],
  ['application', 'app'],
  ['repository', 'repo'],
  ['pwa', 'progressive web app'],
  ['engineer', 'developer', 'dev', 'programmer'],
  // Business
  ['saas', 'software as a service'],
  ['b2b', 'business to business'],
  ['b2c', 'business to consumer'],
  ['seo', 'search engine optimization'],
  ['abm', 'account based marketing'],
  ['crm', 'customer relationship management'],
  ['prd', 'product requirements document'],
  ['okr', 'objectives and key results'],
  ['cost', 'spend', 'expense'],
  ['hire', 'recruit'],
  ['pm', 'product manager'],
  ['em', 'engineering manager'],
  ['metric', 'measure', 'measurement', 'kpi'],
  // Making something better: the direction is in the words around it (cost, latency)
  [
    'improve',
    'reduce',
    'reduction',
    'cut',
    'lower',
    'decrease',
    'minimize',
    'shrink',
    'optimize',
    'speed up',
    'faster',
    'boost',
  ],
];

/**
 * Words that say how a piece is written, not what it is about: "kafka-connect-tutorial"
 * and "getting-started-with-kafka-connect" are one piece. Dropped.
 */
export const FILLER_WORDS: readonly string[] = [
  'guide',
  'introduction',
  'intro',
  'explained',
  'explainer',
  'overview',
  'tutorial',
  'primer',
  'basics',
  'beginner',
  'beginners',
  'getting started',
  'handbook',
  'cheat sheet',
  'deep dive',
  'walkthrough',
  'complete',
  'comprehensive',
  'ultimate',
  'essential',
  'tips',
  'tricks',
  'best practices',
  'checklist',
  'lessons',
  'understanding',
  'vs',
  'versus',
  'right',
  'best',
  'top',
  'new',
  'effective',
  'apache',
];

/**
 * Words so common in topics that they name the kind of subject, not the subject
 * ("agent-observability-platforms" is about agent observability): they count, but
 * less than the words that say what the work is.
 */
export const GENERIC_WORDS: readonly string[] = [
  'platform',
  'tool',
  'framework',
  'system',
  'solution',
  'approach',
  'strategy',
  'technique',
  'pattern',
  'method',
  'process',
  'workflow',
  'pipeline',
  'architecture',
  'design',
  'management',
  'manage',
  'write',
  'run',
  'build',
  'make',
  'choose',
  'pick',
  'find',
  'fix',
  'handle',
  'prevent',
  'implement',
  'team',
  'project',
  'improve',
  'ai',
];
