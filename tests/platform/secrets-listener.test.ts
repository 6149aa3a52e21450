import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onSecretRegistered, redact, registerSecret } from '../../actions/platform/secrets.ts';

test('a listener hears every secret, those known before it and those registered later, each once', () => {
  registerSecret('known-before-listener');
  const heard: string[] = [];
  onSecretRegistered((s) => heard.push(s));
  registerSecret('p@ss word');
  registerSecret('p@ss word');
  registerSecret('abc'); // too short to be a secret
  assert.ok(heard.includes('known-before-listener'));
  assert.deepEqual(
    heard.filter((s) => s.startsWith('p')),
    ['p@ss word', encodeURIComponent('p@ss word')],
  );
  assert.equal(redact('x p@ss word y'), 'x *** y');
});
