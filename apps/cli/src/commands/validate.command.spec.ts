import { expect } from 'chai';
import { resolve } from 'node:path';
import { runValidate } from './validate.command';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'libs', 'model', 'fixtures');

/** Captures what the command writes. */
class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function validate(
  path: string,
  json = false,
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runValidate(path, { json }, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

describe('runValidate', () => {
  it('should exit 0 with a one-line summary for a valid template', async () => {
    const { code, out } = await validate(resolve(FIXTURES, 'three-tier'));
    expect(code).to.equal(0);
    expect(out).to.equal(
      "valid template 'three-tier' 1.0.0: 4 components, 0 facets, 6 instances\n",
    );
  });

  it('should print each error as file:line:column: message and exit 1', async () => {
    const path = resolve(FIXTURES, 'broken', 'import-errors');
    const { code, out } = await validate(path);
    expect(code).to.equal(1);
    expect(out.split('\n')).to.deep.equal([
      "graph/main.graph:4:15: exported variable 'admin' of component 'VM' is a random port: it cannot have a value",
      "graph/main.graph:10:11: component 'AppServer' imports AppServer.port, which it exports itself: mark the import (optional)",
      "graph/main.graph:10:34: component 'AppServer' imports 'port' without saying from which component or facet (write Component.port)",
      "graph/main.graph:7:1: warning: component 'AppServer' (installer script) has no recipe in graph/AppServer/scripts/: its steps will do nothing",
      `${path}: invalid template: 3 errors, 1 warning`,
      '',
    ]);
  });

  it('should validate a single graph file', async () => {
    const { code, out } = await validate(resolve(FIXTURES, 'three-tier', 'graph', 'main.graph'));
    expect(code).to.equal(0);
    expect(out).to.equal('valid graph: 4 components, 0 facets\n');
  });

  it('should validate a single instances file without a graph', async () => {
    const { code, out } = await validate(
      resolve(FIXTURES, 'three-tier', 'instances', 'initial.instances'),
    );
    expect(code).to.equal(0);
    expect(out).to.equal('valid instances: 6 instances\n');
  });

  it('should print the same report as JSON with --json', async () => {
    const { code, out } = await validate(resolve(FIXTURES, 'broken', 'unreadable-files'), true);
    expect(code).to.equal(1);
    const report = JSON.parse(out) as {
      valid: boolean;
      kind: string;
      diagnostics: Record<string, unknown>[];
    };
    expect(report.valid).to.equal(false);
    expect(report.kind).to.equal('template');
    expect(report.diagnostics[0]).to.deep.equal({
      severity: 'error',
      code: 'UNREADABLE_FILE',
      message: 'cannot read graph/missing.graph: no such file',
      file: 'graph/main.graph',
      line: 1,
      column: 8,
      text: 'graph/main.graph:1:8: cannot read graph/missing.graph: no such file',
    });
  });

  it('should fail on a path that is neither a template nor a model file', async () => {
    const { code, out } = await validate(
      resolve(FIXTURES, 'three-tier', 'descriptor', 'application.properties'),
    );
    expect(code).to.equal(1);
    expect(out).to.match(
      /is neither a template directory nor a \.zip, \.tar, \.tar\.gz or \.tgz archive\n/,
    );
  });
});
