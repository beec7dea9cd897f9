// Runs a Temporal workflow in Temporal's own workflow sandbox, without a Temporal server.
//
// Why this way: a Temporal server (or the time-skipping test server, which the SDK downloads on
// first use) cannot be had on this machine or in CI without a download. What decides whether
// async-dag works in a workflow is the sandbox, not the server: the worker's webpack bundle
// (`bundleWorkflowCode`), the VM context with deterministic `Date`, workflow timers for
// `setTimeout`, and no `performance` or `queueMicrotask`. So this module uses the SDK's own
// `bundleWorkflowCode` and the worker's own sandbox (`ReusableVMWorkflowCreator`, what a `Worker`
// uses by default: one V8 context for all its workflows, whose globals it freezes), and plays the server's part itself: it sends activations
// (start, activity results, fired timers) and reads the workflow's commands back, as Temporal's
// core does. Activities run here, in Node, and each takes the workflow time its `durations`
// entry says, so that the trace can be checked to the millisecond.
//
// The sandbox module (@temporalio/worker/lib/workflow/reusable-vm) is internal to the SDK: the lockfile
// pins the version; a change of its shape fails this check loudly, never silently.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Temporal's bundler compiles TypeScript with swc, whose decorators are the legacy kind unless
 * told otherwise; a user who wants standard ones sets swc's `decoratorVersion`, as this does.
 */
function withStandardDecorators(module) {
  const rules = module.rules.map((rule) => {
    const loader = rule.use?.loader;
    if (typeof loader !== 'string' || !loader.includes('swc-loader')) return rule;
    const { jsc } = rule.use.options;
    const transform = { ...jsc.transform, legacyDecorator: false, decoratorVersion: '2023-11' };
    return { ...rule, use: { ...rule.use, options: { ...rule.use.options, jsc: { ...jsc, transform } } } };
  });
  if (rules.every((rule, i) => rule === module.rules[i]))
    throw new Error("found no swc-loader rule in Temporal's bundler");
  return { ...module, rules };
}

/**
 * Bundles `workflowsPath` as a Temporal worker would, with `async-dag` resolved to `entry` (the
 * built dist/index.mjs), and runs `workflowType(...args)` to completion `runs` times, each in a
 * fresh sandbox. Resolves with each run's result and the commands it made, in order.
 */
export async function runInWorkflowSandbox({
  decorators = 'legacy',
  preloadModules = [],
  workflowsPath,
  entry,
  workflowType,
  args,
  activities,
  durations,
  runs = 2,
}) {
  const { bundleWorkflowCode, DefaultLogger } = require('@temporalio/worker');
  // How a Worker turns a bundle's code into what its sandbox loads (the inline source map apart).
  const { parseWorkflowCode } = require('@temporalio/worker/lib/worker');
  // The sandbox a Worker uses by default (`reuseV8Context: true`): one V8 context for every
  // workflow it runs, each with its own globals (`Date` among them).
  const { ReusableVMWorkflowCreator } = require('@temporalio/worker/lib/workflow/reusable-vm');
  const { defaultPayloadConverter: converter } = require('@temporalio/common');
  const { msNumberToTs, tsToMs } = require('@temporalio/common/lib/time');
  const { coresdk } = require('@temporalio/proto');

  const bundle = await bundleWorkflowCode({
    workflowsPath,
    preloadModules,
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...config.resolve?.alias, 'async-dag$': entry } },
      module: decorators === 'tc39' ? withStandardDecorators(config.module) : config.module,
    }),
  });
  if (decorators === 'tc39' && !/_apply_decs_/.test(bundle.code)) {
    throw new Error('swc did not compile standard decorators (no _apply_decs_ helper in the bundle)');
  }
  const creator = await ReusableVMWorkflowCreator.create(
    parseWorkflowCode(bundle.code),
    5_000,
    new Set(Object.keys(activities)),
  );
  try {
    const out = [];
    for (let i = 0; i < runs; i++) {
      out.push(await drive(`run-${i + 1}`));
    }
    return out;
  } finally {
    await creator.destroy();
  }

  /** One workflow execution, from its start activation to its completion command. */
  async function drive(runId) {
    const start = Date.UTC(2026, 11, 3, 12, 0, 0);
    let now = start;
    const workflow = await creator.createWorkflow({
      info: workflowInfo(runId, start),
      randomnessSeed: [1, 2, 3, 4, 5, 6, 7, 8],
      now,
      showStackTraceSources: false,
    });
    /** What the server would deliver later: activity results and timer fires, with their due time. */
    const pending = [];
    const commands = [];
    let jobs = [
      {
        initializeWorkflow: {
          workflowId: `wf-${runId}`,
          workflowType,
          arguments: args.map((a) => converter.toPayload(a)),
          randomnessSeed: 7,
          firstExecutionRunId: runId,
          attempt: 1,
          startTime: msNumberToTs(start),
          workflowTaskTimeout: msNumberToTs(10_000),
        },
      },
    ];
    try {
      for (let step = 0; step < 1_000; step++) {
        const activation = coresdk.workflow_activation.WorkflowActivation.fromObject({
          runId,
          timestamp: msNumberToTs(now),
          isReplaying: false,
          historyLength: step + 1,
          historySizeBytes: 0,
          jobs,
        });
        const completion = await workflow.activate(activation);
        if (completion.failed)
          throw new Error(
            `the activation failed: ${completion.failed.failure?.message}\n${completion.failed.failure?.stackTrace}`,
          );
        for (const command of completion.successful?.commands ?? []) {
          if (command.scheduleActivity) {
            const { seq, activityType, arguments: payloads } = command.scheduleActivity;
            commands.push({ at: now - start, schedule: activityType });
            const fn = activities[activityType];
            const values = (payloads ?? []).map((p) => converter.fromPayload(p));
            let result;
            try {
              result = { completed: { result: converter.toPayload(await fn(...values)) } };
            } catch (error) {
              result = { failed: { failure: { message: String(error), applicationFailureInfo: { type: 'Error' } } } };
            }
            pending.push({ due: now + (durations[activityType] ?? 0), job: { resolveActivity: { seq, result } } });
          } else if (command.startTimer) {
            const { seq, startToFireTimeout } = command.startTimer;
            commands.push({ at: now - start, timer: tsToMs(startToFireTimeout) });
            pending.push({ due: now + tsToMs(startToFireTimeout), job: { fireTimer: { seq } } });
          } else if (command.cancelTimer) {
            const index = pending.findIndex((p) => p.job.fireTimer?.seq === command.cancelTimer.seq);
            if (index >= 0) pending.splice(index, 1);
          } else if (command.completeWorkflowExecution) {
            const payload = command.completeWorkflowExecution.result;
            return { result: payload ? converter.fromPayload(payload) : undefined, commands, duration: now - start };
          } else if (command.failWorkflowExecution) {
            throw new Error(`the workflow failed: ${command.failWorkflowExecution.failure?.message}`);
          } else {
            throw new Error(`a command this driver does not know: ${JSON.stringify(command)}`);
          }
        }
        if (pending.length === 0) throw new Error('the workflow waits for nothing and has not completed');
        // The server delivers everything due at the next moment in one activation.
        now = Math.min(...pending.map((p) => p.due));
        jobs = pending.filter((p) => p.due === now).map((p) => p.job);
        for (const job of jobs)
          pending.splice(
            pending.findIndex((p) => p.job === job),
            1,
          );
      }
      throw new Error('the workflow did not complete in 1000 activations');
    } finally {
      await workflow.dispose();
    }
  }

  function workflowInfo(runId, start) {
    const { TypedSearchAttributes } = require('@temporalio/common');
    return {
      workflowId: `wf-${runId}`,
      runId,
      workflowType,
      searchAttributes: {},
      typedSearchAttributes: new TypedSearchAttributes(),
      taskQueue: 'async-dag-check',
      namespace: 'default',
      firstExecutionRunId: runId,
      originalExecutionRunId: runId,
      startTime: new Date(start),
      runStartTime: new Date(start),
      taskTimeoutMs: 10_000,
      attempt: 1,
      historyLength: 1,
      historySize: 0,
      continueAsNewSuggested: false,
      targetWorkerDeploymentVersionChanged: false,
      suggestedContinueAsNewReasons: undefined,
      currentBuildId: '',
      unsafe: { now: () => Date.now(), isReplaying: false, isReplayingHistoryEvents: false },
      priority: {},
    };
  }
}
