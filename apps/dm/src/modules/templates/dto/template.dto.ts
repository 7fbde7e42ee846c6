import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TemplateSummary } from '../template';
import type { DiagnosticView } from '../template-diagnostics';

/** A diagnostic of the model library. */
export class DiagnosticDto {
  @ApiProperty({ enum: ['error', 'warning'] }) severity!: string;
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() file?: string;
  @ApiPropertyOptional() line?: number;
  @ApiPropertyOptional() column?: number;
  @ApiProperty({ example: 'graph/main.graph:3:5: unknown component Tomcat' }) text!: string;
}

/** A stored template. */
export class TemplateDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'three-tier' }) name!: string;
  @ApiProperty({ description: 'Empty when the template declares none' }) version!: string;
  @ApiProperty({ description: 'SHA-256 of the archive' }) digest!: string;
  @ApiProperty({ enum: ['zip', 'tar.gz', 'tar'] }) archiveFormat!: string;
  @ApiProperty({ type: [String] }) components!: string[];
  @ApiProperty() instanceCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: [DiagnosticDto] }) warnings?: DiagnosticView[];

  static from(template: TemplateSummary, warnings?: readonly DiagnosticView[]): TemplateDto {
    return Object.assign(new TemplateDto(), {
      id: template.id,
      name: template.name,
      version: template.version,
      digest: template.digest,
      archiveFormat: template.archiveFormat,
      components: Object.keys(template.model.graph.components).sort(),
      instanceCount: template.model.instances.length,
      createdAt: template.createdAt.toISOString(),
      ...(warnings ? { warnings: [...warnings] } : {}),
    });
  }
}
