import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DmError } from '../../errors';
import { ASSET_FILES } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { CONSOLE_CSS } from './console-styles';

const CACHE_CONTROL = 'public, max-age=3600';

/** The console's static assets: htmx and its SSE extension from node_modules, and the CSS. */
@ConsoleController({ isPublic: true })
@Controller('console/assets')
export class ConsoleAssetsController {
  @Get('console.css')
  css(@Res() response: Response): void {
    response.setHeader('Cache-Control', CACHE_CONTROL);
    response.type('css').send(CONSOLE_CSS);
  }

  @Get(':file')
  script(@Param('file') file: string, @Res() response: Response): void {
    const module = Object.hasOwn(ASSET_FILES, file) ? ASSET_FILES[file] : undefined;
    if (module === undefined) {
      throw new DmError('NOT_FOUND', `No console asset named ${file}`, { asset: file });
    }
    response.setHeader('Cache-Control', CACHE_CONTROL);
    response.type('application/javascript').sendFile(require.resolve(module));
  }
}
