// Cedar side of benchmarks/compare-cedar.sh: the EvaluateBenchmarks workloads ExactToolAllow and FiveConditions
// (benchmarks/PolicyEngine.Benchmarks/Workloads.cs) expressed in Cedar and decided by @cedar-policy/cedar-wasm.
//
// A tool call is the action Action::"call" by User::"agent" on the resource Tool::"<name>"; its arguments are
// the context. Policies are parsed once with preparsePolicySet and decided with statefulIsAuthorized, the
// fastest path the package offers (isAuthorized would re-parse the policy text on every call). Each request
// object is built once, as the .NET side builds its ToolCall in [GlobalSetup].
//
// Output: one line per workload, "<name> <median ns per decision>", or with --json one JSON object. ExactToolAllow
// is the fastest of its three encodings.
'use strict';

const cedar = require('@cedar-policy/cedar-wasm/nodejs');

const LISTED_TOOLS = 1000;
const REPETITIONS = Number(process.env.CEDAR_REPETITIONS ?? 21);
// Each repetition runs for about this long; the number of calls in it is calibrated per workload.
const REPETITION_MS = Number(process.env.CEDAR_REPETITION_MS ?? 50);

const toolName = (i) => `tool_${String(i).padStart(4, '0')}`;
const principal = { type: 'User', id: 'agent' };
const action = { type: 'Action', id: 'call' };
const tool = (id) => ({ type: 'Tool', id });

// ExactToolAllow, three ways of writing "default deny, 1,000 listed tools, no conditions"; the comparison
// uses whichever is fastest here, so that Cedar is not handicapped by our choice of encoding.
const exactToolAllow = [
  {
    name: 'ExactToolAllow/policy-per-tool',
    // The literal translation: one permit per `tools` key.
    policies: Array.from({ length: LISTED_TOOLS }, (_, i) =>
      `permit(principal, action == Action::"call", resource == Tool::"${toolName(i)}");`).join('\n'),
    entities: [],
  },
  {
    name: 'ExactToolAllow/one-policy-set-literal',
    // One permit whose condition holds the list.
    policies: `permit(principal, action == Action::"call", resource) when { resource in [${
      Array.from({ length: LISTED_TOOLS }, (_, i) => `Tool::"${toolName(i)}"`).join(', ')}] };`,
    entities: [],
  },
  {
    name: 'ExactToolAllow/entity-group',
    // Cedar's idiom: the list lives in entity data (the tool is a member of ToolGroup::"listed").
    policies: 'permit(principal, action == Action::"call", resource in ToolGroup::"listed");',
    entities: [{ uid: tool('tool_0500'), attrs: {}, parents: [{ type: 'ToolGroup', id: 'listed' }] }],
  },
].map((w) => ({ ...w, resource: tool('tool_0500'), context: {}, expect: 'allow' }));

// FiveConditions: the deny_if entry's five leaves as one forbid. Cedar has no regex; the unanchored
// "urgent|override" is the same test written with `like`. No `has` guards: every attribute is present,
// and guards would only add work on Cedar's side.
const fiveConditionsPolicies = `
permit(principal, action == Action::"call", resource == Tool::"place_order");
forbid(principal, action == Action::"call", resource == Tool::"place_order") when {
  context.side == "sell" &&
  ["BTCUSD", "ETHUSD", "SOLUSD"].contains(context.symbol) &&
  context.quantity > 100 &&
  context.account like "margin-*" &&
  (context.note like "*urgent*" || context.note like "*override*")
};`;
const fiveConditionsArguments = {
  symbol: 'ETHUSD', side: 'sell', quantity: 250, price: '3120.50',
  account: 'margin-7731', type: 'limit', time_in_force: 'gtc', note: 'weekly rebalance',
};
const fiveConditions = {
  name: 'FiveConditions',
  policies: fiveConditionsPolicies,
  entities: [],
  resource: tool('place_order'),
  context: fiveConditionsArguments,
  expect: 'allow',
  // The same policy must deny when the fifth leaf holds too, or the benchmark would measure a policy that never fires.
  check: { context: { ...fiveConditionsArguments, note: 'urgent: override the limits' }, expect: 'deny' },
};

function decide(call) {
  const answer = cedar.statefulIsAuthorized(call);
  if (answer.type !== 'success') {
    throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
  }
  return answer.response.decision;
}

function prepare(workload, index) {
  const id = `pset${index}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: workload.policies });
  if (parsed.type !== 'success') {
    throw new Error(`${workload.name}: Cedar rejected the policies: ${JSON.stringify(parsed.errors)}`);
  }
  const request = (context) => ({
    principal, action, resource: workload.resource, context,
    preparsedPolicySetId: id, entities: workload.entities,
  });
  const call = request(workload.context);
  const checks = [[call, workload.expect], ...(workload.check ? [[request(workload.check.context), workload.check.expect]] : [])];
  for (const [c, expected] of checks) {
    const got = decide(c);
    if (got !== expected) {
      throw new Error(`${workload.name}: Cedar answered ${got}, expected ${expected}`);
    }
  }
  return call;
}

function timeCalls(call, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) decide(call);
  return Number(process.hrtime.bigint() - start) / calls;
}

function measure(workload, index) {
  const call = prepare(workload, index);
  // Warm-up (JIT and wasm tiering) for about a second, then calibrate the calls per repetition.
  let calls = 1;
  let elapsedMs = 0;
  while (elapsedMs < 1000) {
    elapsedMs += (timeCalls(call, calls) * calls) / 1e6;
    calls *= 2;
  }
  const perCall = timeCalls(call, calls);
  const callsPerRepetition = Math.max(1, Math.round((REPETITION_MS * 1e6) / perCall));
  const samples = [];
  for (let r = 0; r < REPETITIONS; r++) samples.push(timeCalls(call, callsPerRepetition));
  samples.sort((a, b) => a - b);
  return { ns: samples[Math.floor(samples.length / 2)], callsPerRepetition };
}

const workloads = [...exactToolAllow, fiveConditions];
const results = {};
const callsPerRepetition = {};
workloads.forEach((w, i) => {
  const m = measure(w, i);
  results[w.name] = m.ns;
  callsPerRepetition[w.name] = m.callsPerRepetition;
});
results.ExactToolAllow = Math.min(...exactToolAllow.map((w) => results[w.name]));

const meta = { cedarVersion: cedar.getCedarVersion(), sdkVersion: cedar.getCedarSDKVersion(), node: process.version,
  repetitions: REPETITIONS, repetitionMs: REPETITION_MS, callsPerRepetition };
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...meta, medianNsPerDecision: results }));
} else {
  console.log(`# cedar ${meta.cedarVersion} (cedar-wasm ${meta.sdkVersion}), node ${meta.node}, median of ${REPETITIONS} repetitions of ~${REPETITION_MS} ms`);
  for (const [name, ns] of Object.entries(results)) console.log(`${name} ${ns.toFixed(0)}`);
}
