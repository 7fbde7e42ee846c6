import 'reflect-metadata';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { DmConfig, DmFlags } from './config/dm-config';
import { loadDmConfig } from './config/load-dm-config';
import { API_PREFIX } from './dm.constants';
import {
  AdminAccountService,
  type AdminAccountOutcome,
} from './modules/auth/admin-account.service';
import {
  ARCHIVE_CONTENT_TYPES,
  MAX_TEMPLATE_ARCHIVE_BYTES,
} from './modules/templates/archive-format';
import { CONSOLE_PREFIX_EXCLUSIONS } from './modules/console/console.constants';
import { httpMetricsMiddleware } from './modules/metrics/http-metrics.middleware';
import { MetricsService } from './modules/metrics/metrics.service';
import { setUpOpenApi } from './openapi';
import { openDatabase, type OpenDatabase } from './persistence/open-database';

/** How to start a DM: configuration sources, and where to print the one-time admin password. */
export interface BootstrapOptions {
  /** The environment to read `FLOTILLA_*` variables from; defaults to the process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: DmFlags;
  /** Overrides the configured port; 0 picks a free one (tests run DMs side by side). */
  readonly listenPort?: number;
  /** Receives the generated admin password notice; defaults to stdout. */
  readonly output?: { write(text: string): unknown };
}

/** A running DM. */
export interface DmServer {
  /** The base URL of the HTTP server, for example `http://127.0.0.1:8181`. */
  readonly url: string;
  readonly config: DmConfig;
  readonly database: OpenDatabase['kind'];
  readonly admin: AdminAccountOutcome;
  /** The Nest application, for the broker side (and tests) to reach the DM's services. */
  readonly app: INestApplication;
  /** Closes HTTP, then the database, then the embedded PostgreSQL; safe to call twice. */
  close(): Promise<void>;
}

async function createApp(config: DmConfig, database: OpenDatabase) {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, database.dataSource),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', ...CONSOLE_PREFIX_EXCLUSIONS] });
  // Template archives may arrive as the raw body (multipart goes through multer instead).
  app.useBodyParser('raw', { type: ARCHIVE_CONTENT_TYPES, limit: MAX_TEMPLATE_ARCHIVE_BYTES });
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  setUpOpenApi(app);
  return app;
}

function announce(admin: AdminAccountOutcome, output: NonNullable<BootstrapOptions['output']>) {
  if (admin.generatedPassword) {
    output.write(
      `Created operator "admin" with the generated password: ${admin.generatedPassword}\n` +
        `(also written to ${admin.passwordFile}; it will not be shown again)\n`,
    );
  }
}

/**
 * Starts the Deployment Manager: validates the configuration, opens and migrates the database,
 * creates the first admin if needed, and serves the API.
 * @throws DmConfigError when the configuration is invalid, DmError DATABASE_UNAVAILABLE when the
 * database cannot be opened.
 */
export async function bootstrap(options: BootstrapOptions = {}): Promise<DmServer> {
  const config = loadDmConfig(options.env, options.flags);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase(config);
  let app: NestExpressApplication | undefined;
  try {
    app = await createApp(config, database);
    const admin = await app.get(AdminAccountService).ensureAdmin();
    await app.listen(options.listenPort ?? config.http.port, config.http.host);
    announce(admin, options.output ?? process.stdout);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
    return createServerHandle({ app, database, config, admin, url: `http://${host}:${port}` });
  } catch (error: unknown) {
    await app?.close();
    await database.close();
    throw error;
  }
}

function createServerHandle(parts: {
  app: NestExpressApplication;
  database: OpenDatabase;
  config: DmConfig;
  admin: AdminAccountOutcome;
  url: string;
}): DmServer {
  let closing: Promise<void> | undefined;
  return {
    url: parts.url,
    app: parts.app,
    config: parts.config,
    database: parts.database.kind,
    admin: parts.admin,
    close() {
      closing ??= (async () => {
        await parts.app.close();
        await parts.database.close();
      })();
      return closing;
    },
  };
}
