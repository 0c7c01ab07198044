// GraphQL documents. Every document the portal sends is a template literal tagged with the
// graphql function below, with no interpolation, so tests/portal/test_documents.py can find
// each one and validate it against schema/schema.graphql. Shared selections are fragments: a
// fragment document (fragment X on T ...) registers X, and an operation that spreads ...X is
// sent with X (and what X spreads) appended.

const fragments = new Map();
const FRAGMENT = /^\s*fragment\s+([_A-Za-z][_0-9A-Za-z]*)\s+on\s/;
const SPREAD = /\.\.\.\s*([_A-Za-z][_0-9A-Za-z]*)/g;

/** The tag of a GraphQL document: returns its text (a fragment is also registered). */
export function graphql(strings, ...values) {
  if (values.length) throw new Error('a graphql document takes no ${} values; use a fragment');
  const text = strings.raw.join('');
  const name = text.match(FRAGMENT)?.[1];
  if (name) {
    if (fragments.has(name) && fragments.get(name) !== text) throw new Error(`two GraphQL fragments named ${name}`);
    fragments.set(name, text);
  }
  return text;
}

function spreads(text) {
  return [...text.matchAll(SPREAD)].map((m) => m[1]).filter((name) => name !== 'on');
}

const complete = new Map();

/** An operation with the definitions of every fragment it spreads, transitively. */
export function withFragments(document) {
  let text = complete.get(document);
  if (text !== undefined) return text;
  const needed = [];
  const queue = spreads(document);
  while (queue.length) {
    const name = queue.shift();
    if (needed.includes(name)) continue;
    const fragment = fragments.get(name);
    if (!fragment) throw new Error(`unknown GraphQL fragment ${name}`);
    needed.push(name);
    queue.push(...spreads(fragment));
  }
  text = [document, ...needed.map((name) => fragments.get(name))].join('\n');
  complete.set(document, text);
  return text;
}
