import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentSpec } from '@paxfleet/events';
import { testCatalog } from '../testing.ts';
import { agentAcls } from '@paxfleet/events/agent-acls';
import { kafkaTlsUser, kafkaUser } from './kafka-user.ts';

const topics = [{ name: 'tasks' }, { name: 'events' }, { name: 'activity' }];

function agent(spec: Parameters<typeof testCatalog>[1] = {}): AgentSpec {
  const [found] = testCatalog(topics, spec).agents;
  assert.ok(found);
  return found;
}

describe('KafkaUser', () => {
  it('allows reading what the agent consumes and writing what it produces, one ACL per topic by name', () => {
    const acls = agentAcls(
      agent({ research: { consumes: ['tasks', 'events'], produces: ['events', 'activity'] } }),
    );
    assert.deepEqual(
      acls.filter((acl) => acl.resource.type === 'topic'),
      [
        {
          resource: { type: 'topic', name: 'activity', patternType: 'literal' },
          operations: ['Describe', 'Write'],
          host: '*',
        },
        {
          resource: { type: 'topic', name: 'events', patternType: 'literal' },
          operations: ['Describe', 'Read', 'Write'],
          host: '*',
        },
        {
          resource: { type: 'topic', name: 'tasks', patternType: 'literal' },
          operations: ['Describe', 'Read'],
          host: '*',
        },
      ],
    );
  });

  it("adds the agent's group, its transactional ids and idempotent writes", () => {
    const acls = agentAcls(agent({ research: { consumes: ['tasks'] } }));
    assert.deepEqual(acls.slice(1), [
      {
        resource: { type: 'group', name: 'paxfleet-research', patternType: 'literal' },
        operations: ['Read'],
        host: '*',
      },
      {
        resource: { type: 'transactionalId', name: 'paxfleet-research-', patternType: 'prefix' },
        operations: ['Describe', 'Write'],
        host: '*',
      },
      {
        resource: { type: 'group', name: 'paxfleet-unjoined-', patternType: 'prefix' },
        operations: ['Describe'],
        host: '*',
      },
      { resource: { type: 'cluster' }, operations: ['IdempotentWrite'], host: '*' },
    ]);
  });

  it("in a namespace, names the namespace's topics, group and ids, and its wildcards become the namespace's prefix", () => {
    const acls = agentAcls(
      agent({ coordinator: { consumes: ['tasks'], describesAllGroups: true } }),
      { namespace: 'shadow' },
    );
    assert.deepEqual(
      acls.map(({ resource }) =>
        resource.type === 'cluster'
          ? 'cluster'
          : `${resource.type}:${resource.patternType}:${resource.name}`,
      ),
      [
        'topic:literal:shadow.tasks',
        'group:literal:shadow.paxfleet-coordinator',
        'transactionalId:prefix:shadow.paxfleet-coordinator-',
        'group:prefix:shadow.paxfleet-unjoined-',
        'cluster',
        'group:prefix:shadow.',
        'topic:prefix:shadow.',
      ],
    );
  });

  it('lets an agent that describes all groups describe every group and topic', () => {
    const acls = agentAcls(agent({ coordinator: { describesAllGroups: true } }));
    assert.deepEqual(acls.slice(-2), [
      {
        resource: { type: 'group', name: '*', patternType: 'literal' },
        operations: ['Describe'],
        host: '*',
      },
      {
        resource: { type: 'topic', name: '*', patternType: 'literal' },
        operations: ['Describe'],
        host: '*',
      },
    ]);
  });

  it('refuses an agent without a consumer group', () => {
    assert.throws(
      () => agentAcls(agent({ research: { group: '' } })),
      /CATALOG_INVALID: agent research has no consumer group/,
    );
  });

  it('takes the password from the Secret the chart hands to the agent', () => {
    const user = kafkaUser(agent({ seo: {} }));
    assert.equal(user.metadata.name, 'paxfleet-seo');
    assert.deepEqual(user.spec.authentication.password.valueFrom.secretKeyRef, {
      name: 'paxfleet-seo-kafka',
      key: 'password',
    });
  });

  it("authenticates the tls user by certificate, with the SCRAM user's name and ACLs", () => {
    const scram = kafkaUser(agent({ seo: {} }));
    const tls = kafkaTlsUser(agent({ seo: {} }));
    assert.deepEqual(tls.spec.authentication, { type: 'tls' });
    assert.equal(tls.metadata.name, scram.metadata.name);
    assert.deepEqual(tls.spec.authorization, scram.spec.authorization);
  });
});
