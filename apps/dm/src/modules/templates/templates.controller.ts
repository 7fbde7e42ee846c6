import { Controller, Get, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DmError } from '../../errors';
import { CurrentOperator } from '../auth/current-operator.decorator';
import type { Operator } from '../auth/operator';
import { ARCHIVE_CONTENT_TYPES, MAX_TEMPLATE_ARCHIVE_BYTES } from './archive-format';
import { TemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

/** The multipart field that carries the archive. */
const ARCHIVE_FIELD = 'archive';

/** What multer hands over for a multipart file kept in memory. */
interface UploadedArchive {
  readonly buffer: Buffer;
  readonly originalname: string;
}

/** Application templates: upload (validated by the model library) and list. */
@ApiTags('templates')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @UseInterceptors(
    FileInterceptor(ARCHIVE_FIELD, { limits: { fileSize: MAX_TEMPLATE_ARCHIVE_BYTES, files: 1 } }),
  )
  @ApiConsumes(...ARCHIVE_CONTENT_TYPES, 'multipart/form-data')
  @ApiCreatedResponse({ type: TemplateDto, description: 'Stored' })
  @ApiOkResponse({ type: TemplateDto, description: 'The same archive was stored before' })
  @ApiUnprocessableEntityResponse({ description: 'Refused, with every diagnostic' })
  async upload(
    @UploadedFile() file: UploadedArchive | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentOperator() operator: Operator,
  ): Promise<TemplateDto> {
    const body: unknown = request.body;
    const archive = file?.buffer ?? (Buffer.isBuffer(body) ? body : undefined);
    if (!archive || archive.length === 0) {
      throw new DmError(
        'REQUEST_INVALID',
        `Send the archive as the body (Content-Type ${ARCHIVE_CONTENT_TYPES.join(', ')}) or as the multipart field "${ARCHIVE_FIELD}"`,
      );
    }
    const upload = await this.templates.upload(archive, file?.originalname, operator);
    response.status(upload.isNew ? 201 : 200);
    return TemplateDto.from(upload.template, upload.warnings);
  }

  @Get()
  @ApiOkResponse({ type: [TemplateDto] })
  async list(): Promise<TemplateDto[]> {
    return (await this.templates.list()).map((template) => TemplateDto.from(template));
  }
}
