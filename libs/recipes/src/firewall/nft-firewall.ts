import { NFT_TABLE_NAME } from '../recipes.constants';
import { LedgeredFirewall, type OpenRulesSnapshot } from './ledgered-firewall';
import { buildNftInstallBatch, openSetName, portElements, toNftDocument } from './nft-ruleset';
import type { NftCommand } from './nft-ruleset';
import type { PortProtocol, PortRule } from './port-rule';
import { withTemporaryFile } from './temporary-file';

interface NftListedSet {
  readonly set?: { readonly name: string; readonly elem?: readonly unknown[] };
  readonly chain?: { readonly name: string };
}

/**
 * The nftables backend: its own `inet flotilla` table with an input chain and one set of open
 * ports per protocol; every change is one JSON batch read by `nft -j -f`, applied atomically.
 */
export class NftFirewall extends LedgeredFirewall {
  protected override async install(openRules: readonly PortRule[]): Promise<void> {
    await this.runBatch(buildNftInstallBatch(openRules, this.alwaysOpen, this.isManaged));
  }

  protected override async apply(
    toOpen: readonly PortRule[],
    toClose: readonly PortRule[],
  ): Promise<void> {
    await this.runBatch([
      ...portElements(toOpen).map((element) => ({ add: element })),
      ...portElements(toClose).map((element) => ({ delete: element })),
    ]);
  }

  protected override async readOpenRules(): Promise<OpenRulesSnapshot | undefined> {
    const result = await this.executor.run('nft', ['-j', 'list', 'table', 'inet', NFT_TABLE_NAME], {
      allowFailure: true,
    });
    if (result.exitCode !== 0) {
      return undefined;
    }
    const listed = (JSON.parse(result.stdout) as { nftables: NftListedSet[] }).nftables;
    if (!listed.some((item) => item.chain?.name === 'input')) {
      return undefined;
    }
    const rules = (['tcp', 'udp'] as PortProtocol[]).flatMap((protocol) => {
      const set = listed.find((item) => item.set?.name === openSetName(protocol))?.set;
      return (set?.elem ?? [])
        .filter((port): port is number => typeof port === 'number')
        .map((port) => ({ port, protocol }));
    });
    // One inet table serves IPv4 and IPv6: both families always agree.
    return { everywhere: rules, anywhere: rules };
  }

  /** Applies commands as one nft transaction, read from a private temporary file. */
  private async runBatch(commands: readonly NftCommand[]): Promise<void> {
    if (commands.length > 0) {
      await withTemporaryFile(toNftDocument(commands), (file) =>
        this.executor.run('nft', ['-j', '-f', file]),
      );
    }
  }
}
