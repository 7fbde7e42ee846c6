import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InstallLayout, renderAgentEnv, renderAgentUnit } from './install-layout';

const PACKAGED_UNIT = readFileSync(
  resolve(__dirname, '../../../../packaging/systemd/flotilla-agent.service'),
  'utf8',
);

describe(InstallLayout.name, () => {
  it('should use the packaged unit paths when there is no prefix', () => {
    const sut = new InstallLayout();

    expect([sut.launcher, sut.envFile, sut.dataDir, sut.unitFile]).to.deep.equal([
      '/opt/flotilla-agent/bin/flotilla-agent.js',
      '/etc/flotilla/agent.env',
      '/var/lib/flotilla-agent',
      '/etc/systemd/system/flotilla-agent.service',
    ]);
  });

  it('should put every file but the unit under the prefix when one is given', () => {
    const sut = new InstallLayout('/srv/trial');

    expect([sut.installDir, sut.envFile, sut.pidFile, sut.unitFile]).to.deep.equal([
      '/srv/trial/opt/flotilla-agent',
      '/srv/trial/etc/flotilla/agent.env',
      '/srv/trial/var/lib/flotilla-agent/agent.pid',
      '/etc/systemd/system/flotilla-agent.service',
    ]);
  });
});

describe(renderAgentEnv.name, () => {
  it('should write single-quoted FLOTILLA_* lines that systemd and sh both read', () => {
    const text = renderAgentEnv({
      FLOTILLA_AGENT_NAME: 'web-1',
      FLOTILLA_AMQP_URL: 'amqp://enroll:p@ss w0rd@broker:5672/flotilla',
    });

    expect(text.split('\n').slice(1)).to.deep.equal([
      "FLOTILLA_AGENT_NAME='web-1'",
      "FLOTILLA_AMQP_URL='amqp://enroll:p@ss w0rd@broker:5672/flotilla'",
      '',
    ]);
  });

  for (const value of ["it's", 'a\\b', 'two\nlines']) {
    it(`should refuse a value the two readers would read differently: ${JSON.stringify(value)}`, () => {
      expect(() => renderAgentEnv({ FLOTILLA_AMQP_URL: value })).to.throw(
        'Agent setting FLOTILLA_AMQP_URL cannot be written',
      );
    });
  }
});

describe(renderAgentUnit.name, () => {
  it('should run the installed launcher with the found node and read the written agent.env', () => {
    const unit = renderAgentUnit(PACKAGED_UNIT, new InstallLayout(), '/usr/local/bin/node');

    const lines = unit.split('\n');
    expect(lines).to.include(
      'ExecStart=/usr/local/bin/node /opt/flotilla-agent/bin/flotilla-agent.js',
    );
    expect(lines).to.include('EnvironmentFile=/etc/flotilla/agent.env');
    expect(lines).to.include('StateDirectory=flotilla-agent');
    expect(lines.filter((line) => line.startsWith('ExecStart='))).to.have.length(1);
  });

  it('should refuse a packaged unit without an ExecStart line', () => {
    expect(() =>
      renderAgentUnit('[Service]\nEnvironmentFile=/x\n', new InstallLayout(), '/usr/bin/node'),
    ).to.throw('has no ExecStart= or EnvironmentFile= line');
  });
});
