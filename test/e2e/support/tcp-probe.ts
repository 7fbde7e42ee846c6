import type { TestHost } from '../../support/netns';

/** What a TCP server at `address:port` says, read from host `from`; null when unreachable. */
export async function probeTcp(
  from: TestHost,
  address: string,
  port: number,
): Promise<string | null> {
  const script = `const s=require('node:net').connect(${port},'${address}');let d='';s.setTimeout(3000,()=>{s.destroy();process.exit(2)});s.on('data',c=>d+=c);s.on('end',()=>{process.stdout.write(d);process.exit(0)});s.on('error',()=>process.exit(1));`;
  const output = await from.exec(process.execPath, ['-e', script]);
  return output.exitCode === 0 ? output.stdout.trim() : null;
}
