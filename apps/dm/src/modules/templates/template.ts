import type { ApplicationTemplate } from '@flotilla/model';

/** What the DM keeps of a loaded template besides the archive itself. */
export interface StoredTemplateModel extends ApplicationTemplate {
  readonly exportsPrefix?: string;
  /** Recipe files per component, relative to the template root. */
  readonly recipes: Readonly<Record<string, readonly string[]>>;
}

/** A stored template, without its archive bytes. */
export interface TemplateSummary {
  readonly id: string;
  readonly name: string;
  /** The empty string when the template declares no version. */
  readonly version: string;
  readonly digest: string;
  readonly archiveFormat: string;
  readonly createdAt: Date;
  readonly model: StoredTemplateModel;
}

/** A template to store, as validated by the model library. */
export interface NewTemplate {
  readonly name: string;
  readonly version: string;
  readonly archive: Buffer;
  readonly archiveFormat: string;
  readonly digest: string;
  readonly model: StoredTemplateModel;
}
