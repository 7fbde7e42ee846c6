import { NFT_TABLE_NAME } from '../recipes.constants';
import { LedgeredFirewall, type OpenRulesSnapshot } from './ledgered-firewall';
import { parseNftListing } from './nft-listing';
import { buildNftInstallBatch, portElements, toNftDocument } from './nft-ruleset';
import type { NftCommand } from './nft-ruleset';
import type { PortRule } from './port-rule';
import { withTemporaryFile } from './temporary-file';

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
    return parseNftListing(result.stdout);
  }

  /** Applies commands as one nft transaction, read from a private temporary file. */
  protected async runBatch(commands: readonly NftCommand[]): Promise<void> {
    if (commands.length > 0) {
      await withTemporaryFile(toNftDocument(commands), (file) =>
        this.executor.run('nft', ['-j', '-f', file]),
      );
    }
  }
}
