import { buildDag, Dag, graphOf, immediate, node, type TaskNode } from 'async-dag';

/** The seed's graph: fastTaskA -> slowTaskB -> endTask, (slowTaskA, fastTaskB) -> fastTaskC -> endTask. */
function seedGraph() {
  const named = (name: string) => Object.defineProperty((...xs: unknown[]) => xs.length, 'name', { value: name });
  return buildDag<number>((tm) => {
    const fastTaskA = tm.addNode(named('fastTaskA'));
    const slowTaskB = tm.addNode(named('slowTaskB'), fastTaskA);
    const slowTaskA = tm.addNode(named('slowTaskA'));
    const fastTaskB = tm.addNode(named('fastTaskB'));
    const fastTaskC = tm.addNode(named('fastTaskC'), slowTaskA, fastTaskB);
    tm.addNode(named('endTask'), fastTaskC, slowTaskB);
  });
}

/** The `from --> to` lines of a diagram, as pairs of ids. */
function mermaidEdges(diagram: string): [string, string][] {
  return diagram.split('\n').flatMap((line) => {
    const match = /^ {4}(\S+) --> (\S+)$/.exec(line);
    return match === null ? [] : [[match[1]!, match[2]!] as [string, string]];
  });
}

function declarations(diagram: string): Map<string, { shape: 'box' | 'stadium'; label: string }> {
  const found = new Map<string, { shape: 'box' | 'stadium'; label: string }>();
  for (const line of diagram.split('\n')) {
    const stadium = /^ {4}(\w+)\(\["(.*)"\]\)$/.exec(line);
    const box = /^ {4}(\w+)\["(.*)"\]$/.exec(line);
    if (stadium !== null) found.set(stadium[1]!, { shape: 'stadium', label: stadium[2]! });
    else if (box !== null) found.set(box[1]!, { shape: 'box', label: box[2]! });
  }
  return found;
}

describe('graphOf(taskGraph)', () => {
  it('lists the nodes in declaration order, with their kind and dependencies', () => {
    const view = graphOf(seedGraph());
    expect(view.owner).toBe('buildDag');
    expect(view.nodes.map((n) => [n.name, n.kind, n.dependencies])).toEqual([
      ['fastTaskA', 'node', []],
      ['slowTaskB', 'node', ['fastTaskA']],
      ['slowTaskA', 'node', []],
      ['fastTaskB', 'node', []],
      ['fastTaskC', 'node', ['slowTaskA', 'fastTaskB']],
      ['endTask', 'node', ['fastTaskC', 'slowTaskB']],
    ]);
  });

  it('lists one edge per distinct dependency, from the dependency to the node that needs it', () => {
    let twice!: TaskNode<number>;
    const dag = buildDag((tm) => {
      const a = tm.addNode(function a() {
        return 1;
      });
      twice = tm.addNode(
        function twice(x: number, y: number) {
          return x + y;
        },
        a,
        a,
      );
    });
    const view = graphOf(dag);
    expect(view.nodes[1]!.dependencies).toEqual(['a', 'a']);
    expect(view.edges).toEqual([{ from: 'a', to: 'twice' }]);
    expect(twice.name).toBe('twice');
  });

  it('returns the same frozen view every time', () => {
    const dag = seedGraph();
    const view = graphOf(dag);
    expect(graphOf(dag)).toBe(view);
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view.nodes)).toBe(true);
    expect(Object.isFrozen(view.nodes[0])).toBe(true);
    expect(Object.isFrozen(view.edges)).toBe(true);
  });

  it('shows the options of a node that has any', () => {
    const dag = buildDag((tm) => {
      tm.with({ name: 'fetch', timeout: 2_000, retry: 2, priority: 5 }).addNode(() => 1);
      tm.with({ name: 'plain', retry: 0 }).addNode(() => 1);
    });
    const [fetch, plain] = graphOf(dag).nodes;
    expect(fetch!.options).toMatchObject({ timeout: 2_000, retry: { retries: 2 }, priority: 5 });
    expect(plain!.options).toBeUndefined();
  });

  it('rejects what is not a graph with a TypeError that says what it got', () => {
    expect(() => graphOf({})).toThrow(TypeError);
    expect(() => graphOf({})).toThrow(
      /Expected a TaskGraph, a Dag subclass or a Dag instance, got `\[object Object\]` \(object\)/,
    );
  });
});

describe('graphOf(Dag class or instance)', () => {
  class Report extends Dag<{ month: string }> {
    @immediate month(p: { month: string }) {
      return p.month;
    }
    @node('month', { timeout: 500 }) async totals(month: string) {
      return month.length;
    }
    @node('month', 'totals') render(month: string, total: number) {
      return `${month}: ${total}`;
    }
  }

  it('gives the same view for the class and for any instance, owned by the class name', () => {
    const view = graphOf(Report);
    expect(graphOf(new Report())).toBe(view);
    expect(view.owner).toBe('Report');
    expect(view.nodes.map((n) => [n.name, n.kind, n.dependencies])).toEqual([
      ['month', 'immediate', []],
      ['totals', 'node', ['month']],
      ['render', 'node', ['month', 'totals']],
    ]);
    expect(view.edges).toEqual([
      { from: 'month', to: 'totals' },
      { from: 'month', to: 'render' },
      { from: 'totals', to: 'render' },
    ]);
  });

  it('draws the immediate as a stadium and the timeout under its node', () => {
    expect(graphOf(Report).toMermaid()).toBe(
      [
        'graph TD',
        '    month(["month"])',
        '    totals["totals<br/>timeout 500 ms"]',
        '    month --> totals',
        '    month --> render',
        '    totals --> render',
        '',
      ].join('\n'),
    );
  });
});

describe('GraphView.toMermaid', () => {
  it("draws the seed's graph as `graph TD` with one `from --> to` line per dependency, node names as ids", () => {
    expect(graphOf(seedGraph()).toMermaid()).toBe(
      [
        'graph TD',
        '    fastTaskA --> slowTaskB',
        '    slowTaskA --> fastTaskC',
        '    fastTaskB --> fastTaskC',
        '    fastTaskC --> endTask',
        '    slowTaskB --> endTask',
        '',
      ].join('\n'),
    );
  });

  it('draws immediates as stadiums, unlike nodes', () => {
    const dag = buildDag<string>((tm) => {
      const url = tm.addImmediateNode('moon');
      tm.addNode(function fetchEvent(u: string) {
        return u;
      }, url);
    });
    const diagram = graphOf(dag).toMermaid();
    expect(declarations(diagram).get('immediate_0')).toEqual({ shape: 'stadium', label: 'immediate_0' });
    expect(declarations(diagram).has('fetchEvent')).toBe(false);
    expect(diagram).toContain('    immediate_0 --> fetchEvent\n');
  });

  it('shows timeout, retry and priority under the name of a node that has them', () => {
    const dag = buildDag((tm) => {
      const a = tm.with({ name: 'fetchUser', timeout: 2_000, retry: 2 }).addNode(() => 1);
      tm.with({ name: 'rank', priority: 3 }).addNode((x: number) => x, a);
    });
    const shapes = declarations(graphOf(dag).toMermaid());
    expect(shapes.get('fetchUser')).toEqual({ shape: 'box', label: 'fetchUser<br/>timeout 2000 ms, retry 2' });
    expect(shapes.get('rank')).toEqual({ shape: 'box', label: 'rank<br/>priority 3' });
  });

  it('declares a node that has no edge, so that it still appears', () => {
    const dag = buildDag((tm) => {
      tm.addNode(function alone() {
        return 1;
      });
    });
    expect(graphOf(dag).toMermaid()).toBe('graph TD\n    alone["alone"]\n');
  });

  it('draws a name that is not a valid Mermaid id under a safe id, with the name as its label', () => {
    const dag = buildDag((tm) => {
      const spaced = tm.with({ name: 'fetch user' }).addNode(() => 1);
      const end = tm.with({ name: 'end' }).addNode((x: number) => x, spaced);
      const style = tm.with({ name: 'styleSheet' }).addNode((x: number) => x, end);
      const quoted = tm.with({ name: 'say "hi" #1 <b>' }).addNode((x: number) => x, style);
      tm.with({ name: 'n0' }).addNode((x: number) => x, quoted);
    });
    const diagram = graphOf(dag).toMermaid();
    const shapes = declarations(diagram);
    // `n0` is taken by a node's own name, so the first safe id steps aside.
    expect(shapes.get('n0_')).toEqual({ shape: 'box', label: 'fetch user' });
    expect(shapes.get('n1')).toEqual({ shape: 'box', label: 'end' });
    expect(shapes.get('n2')).toEqual({ shape: 'box', label: 'styleSheet' });
    expect(shapes.get('n3')).toEqual({ shape: 'box', label: 'say #34;hi#34; #35;1 #60;b#62;' });
    expect(diagram).toContain('    n0_ --> n1\n    n1 --> n2\n    n2 --> n3\n    n3 --> n0\n');
    // No line carries a raw quote or bracket from a name, and every id is a plain word.
    for (const line of diagram.split('\n').slice(1, -1)) {
      expect(line).toMatch(/^ {4}(\w+ --> \w+|\w+\(?\["[^"]*"\]\)?)$/);
    }
  });

  it('keeps names that Mermaid reads as ids even though they start like a keyword (endTask, defaultUser, clickHandler)', () => {
    const dag = buildDag((tm) => {
      const a = tm.with({ name: 'endTask' }).addNode(() => 1);
      const b = tm.with({ name: 'defaultUser' }).addNode((x: number) => x, a);
      tm.with({ name: 'clickHandler' }).addNode((x: number) => x, b);
    });
    expect(graphOf(dag).toMermaid()).toBe('graph TD\n    endTask --> defaultUser\n    defaultUser --> clickHandler\n');
  });

  it('gives a safe id to a name ending in `direction`, and breaks up `direction TB` in a label', () => {
    const dag = buildDag((tm) => {
      const a = tm.with({ name: 'redirection' }).addNode(() => 1);
      tm.with({ name: 'set direction TB' }).addNode((x: number) => x, a);
      tm.with({ name: 'TBuilder' }).addNode((x: number) => x, a);
    });
    expect(graphOf(dag).toMermaid()).toBe(
      'graph TD\n    n0["redirection"]\n    n1["set direction#32;TB"]\n    n0 --> n1\n    n0 --> TBuilder\n',
    );
  });

  it('draws exactly the edges of the view', () => {
    const view = graphOf(seedGraph());
    expect(mermaidEdges(view.toMermaid())).toEqual(view.edges.map(({ from, to }) => [from, to]));
  });
});
