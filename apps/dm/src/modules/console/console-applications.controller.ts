import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { DmError } from '../../errors';
import { ApplicationsService } from '../applications/applications.service';
import { MAX_TEMPLATE_ARCHIVE_BYTES } from '../templates/archive-format';
import { TemplatesService } from '../templates/templates.service';
import { ARCHIVE_FIELD, CONSOLE_PATH } from './console.constants';
import { ConsoleController } from './console-controller.decorator';
import { formField, sessionOf, type ConsoleRequest } from './console-request';
import { renderApplicationsPage } from './views/applications.view';

/** What multer hands over for the uploaded archive (kept in memory). */
interface UploadedArchive {
  readonly buffer: Buffer;
  readonly originalname: string;
}

/** The applications page: list, create from an uploaded template archive, delete. */
@ConsoleController()
@Controller('console/applications')
export class ConsoleApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly templates: TemplatesService,
  ) {}

  @Get()
  async page(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    const applications = await this.applications.list();
    response.type('html').send(renderApplicationsPage(sessionOf(request), applications));
  }

  /** Refusals (invalid template: 422 with every `file:line:column`) go to the error filter. */
  @Post()
  @UseInterceptors(
    FileInterceptor(ARCHIVE_FIELD, { limits: { fileSize: MAX_TEMPLATE_ARCHIVE_BYTES, files: 1 } }),
  )
  async create(
    @UploadedFile() file: UploadedArchive | undefined,
    @Body() body: unknown,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    if (!file || file.buffer.length === 0) {
      throw new DmError('REQUEST_INVALID', `Choose a template archive (field "${ARCHIVE_FIELD}")`);
    }
    const { operator } = sessionOf(request);
    const upload = await this.templates.upload(file.buffer, file.originalname, operator);
    const name = formField(body, 'name').trim() || upload.template.name;
    await this.applications.create(
      { name, template: upload.template.name, templateVersion: upload.template.version },
      operator,
    );
    const location = `${CONSOLE_PATH}/applications/${encodeURIComponent(name)}`;
    response.status(HttpStatus.NO_CONTENT).setHeader('HX-Redirect', location).end();
  }

  @Post(':name/delete')
  async delete(
    @Param('name') name: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ): Promise<void> {
    await this.applications.delete(name, sessionOf(request).operator);
    response.redirect(HttpStatus.SEE_OTHER, `${CONSOLE_PATH}/applications`);
  }
}
