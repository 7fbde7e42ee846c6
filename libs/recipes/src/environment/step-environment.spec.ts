import { expect } from 'chai';
import {
  cleanInstancePath,
  cleanReversedInstancePath,
  shortVariableName,
} from './instance-path-names';
import { buildStepEnvironment } from './step-environment';
import type { StepEnvironmentInput } from './step-environment.types';

const base: StepEnvironmentInput = {
  instanceName: 'my-server',
  instancePath: '/VM/my-server',
  component: 'Tomcat',
  application: 'shop',
  exports: { 'Tomcat.ip': '10.0.0.5', 'Tomcat.port': '8080', 'Tomcat.ajp-port': '8009' },
  imports: {
    Db: [
      { instancePath: '/vm-db/mysql 1', variables: { 'Db.ip': '10.0.0.7', 'Db.port': '3306' } },
      { instancePath: '/vm-db/mysql 2', variables: { 'Db.ip': '10.0.0.8', port: '3307' } },
    ],
  },
  ancestors: [{ component: 'VM', variables: { 'VM.ip': '10.0.0.5', 'VM.zone': 'eu' } }],
  filesDir: '/var/lib/flotilla/instances/VM_my_server/files',
  agentName: 'agent-7',
  inherited: { PATH: '/usr/bin:/bin', HOME: '/root', LANG: 'C.UTF-8', AWS_SECRET_ACCESS_KEY: 'x' },
};

describe('buildStepEnvironment', () => {
  const env = buildStepEnvironment(base);

  const expected: [string, string][] = [
    ['ip', '10.0.0.5'],
    ['port', '8080'],
    ['ajp_port', '8009'],
    ['Db_size', '2'],
    ['Db_0_name', '/vm-db/mysql 1'],
    ['Db_0_ip', '10.0.0.7'],
    ['Db_0_port', '3306'],
    ['Db_1_name', '/vm-db/mysql 2'],
    ['Db_1_ip', '10.0.0.8'],
    ['Db_1_port', '3307'],
    ['ANCESTOR_VM_ip', '10.0.0.5'],
    ['ANCESTOR_VM_zone', 'eu'],
    ['ROBOCONF_INSTANCE_NAME', 'my-server'],
    ['ROBOCONF_INSTANCE_PATH', '/VM/my-server'],
    ['ROBOCONF_COMPONENT_NAME', 'Tomcat'],
    ['ROBOCONF_CLEAN_INSTANCE_PATH', 'VM_my_server'],
    ['ROBOCONF_CLEAN_REVERSED_INSTANCE_PATH', 'my_server_VM'],
    ['ROBOCONF_FILES_DIR', '/var/lib/flotilla/instances/VM_my_server/files'],
    ['FLOTILLA_AGENT_NAME', 'agent-7'],
    ['FLOTILLA_APPLICATION_NAME', 'shop'],
    ['PATH', '/usr/bin:/bin'],
    ['HOME', '/root'],
    ['LANG', 'C.UTF-8'],
  ];
  for (const [name, value] of expected) {
    it(`should set ${name} to "${value}"`, () => {
      expect(env[name]).to.equal(value);
    });
  }

  const absent = [
    'AWS_SECRET_ACCESS_KEY',
    'ROBOCONF_UPDATE_STATUS',
    'ROBOCONF_IMPORT_CHANGED_INSTANCE_PATH',
    'FLOTILLA_FW',
    'FLOTILLA_FW_SOCKET',
  ];
  for (const name of absent) {
    it(`should not set ${name} when it is neither allowlisted nor given`, () => {
      expect(env).not.to.have.property(name);
    });
  }

  it('should give the update variables, including ROBOCONF_IMPORT_CHANGED_<var>, to update.sh', () => {
    const sut = buildStepEnvironment({
      ...base,
      importChange: {
        status: 'DEPLOYED_STOPPED',
        instancePath: '/vm-db/mysql 2',
        component: 'MySql',
        variables: { 'Db.ip': '10.0.0.8', 'Db.port': '3307' },
      },
    });
    expect(sut).to.include({
      ROBOCONF_UPDATE_STATUS: 'DEPLOYED_STOPPED',
      ROBOCONF_IMPORT_CHANGED_INSTANCE_PATH: '/vm-db/mysql 2',
      ROBOCONF_IMPORT_CHANGED_COMPONENT: 'MySql',
      ROBOCONF_IMPORT_CHANGED_ip: '10.0.0.8',
      ROBOCONF_IMPORT_CHANGED_port: '3307',
    });
  });

  it('should put the firewall helper first on PATH and name its socket when given', () => {
    const sut = buildStepEnvironment({
      ...base,
      firewallHelperPath: '/opt/flotilla/bin/flotilla-fw',
      firewallSocketPath: '/run/flotilla/step-1/fw.sock',
      home: '/home/recipes',
    });
    expect(sut).to.include({
      FLOTILLA_FW: '/opt/flotilla/bin/flotilla-fw',
      FLOTILLA_FW_SOCKET: '/run/flotilla/step-1/fw.sock',
      PATH: '/opt/flotilla/bin:/usr/bin:/bin',
      HOME: '/home/recipes',
    });
  });

  it('should keep the nearest ancestor value when two ancestors share a component name', () => {
    const sut = buildStepEnvironment({
      ...base,
      ancestors: [
        { component: 'Box', variables: { 'Box.id': 'inner' } },
        { component: 'Box', variables: { 'Box.id': 'outer' } },
      ],
    });
    expect(sut.ANCESTOR_Box_id).to.equal('inner');
  });

  it('should give an imported component with no instance a size of 0', () => {
    const sut = buildStepEnvironment({ ...base, imports: { Cache: [] } });
    expect(sut.Cache_size).to.equal('0');
    expect(sut).not.to.have.property('Cache_0_name');
  });
});

describe('instance path names', () => {
  const paths: [string, string, string][] = [
    ['/VM/my-server', 'VM_my_server', 'my_server_VM'],
    ['/mysql_vm', 'mysql_vm', 'mysql_vm'],
    [
      '/tomcat-vm/tomcat-server/hello-world',
      'tomcat_vm_tomcat_server_hello_world',
      'hello_world_tomcat_server_tomcat_vm',
    ],
    ['/vm 1/app.v2', 'vm_1_app_v2', 'app_v2_vm_1'],
  ];
  for (const [path, clean, reversed] of paths) {
    it(`should clean "${path}" to "${clean}" and "${reversed}" reversed`, () => {
      expect(cleanInstancePath(path)).to.equal(clean);
      expect(cleanReversedInstancePath(path)).to.equal(reversed);
    });
  }

  const names: [string, string][] = [
    ['Db.port', 'port'],
    ['port', 'port'],
    ['Tomcat.ajp-port', 'ajp_port'],
    ['App.my var', 'my_var'],
  ];
  for (const [name, short] of names) {
    it(`should pass the variable "${name}" as "${short}"`, () => {
      expect(shortVariableName(name)).to.equal(short);
    });
  }
});
