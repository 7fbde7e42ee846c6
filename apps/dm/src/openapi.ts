import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { API_PREFIX, SESSION_COOKIE } from './dm.constants';
import { AuthService } from './modules/auth/auth.service';
import { presentedSecret } from './modules/auth/authenticated-request';

/** Where the OpenAPI UI is served; its JSON is at `<path>/json`. */
export const OPENAPI_PATH = `${API_PREFIX}/docs`;

/**
 * Serves the OpenAPI document and UI at `/api/docs`. Swagger's routes bypass Nest's guards, so an
 * express middleware applies the same rule as the guard: a session or token is needed.
 */
export function setUpOpenApi(app: INestApplication): void {
  const auth = app.get(AuthService);
  app.use(`/${OPENAPI_PATH}`, (request: Request, response: Response, next: NextFunction) => {
    const secret = presentedSecret(request);
    const check = secret ? auth.authenticate(secret) : Promise.resolve(null);
    check.then(
      (operator) =>
        operator ? next() : response.status(401).json({ statusCode: 401, code: 'UNAUTHENTICATED' }),
      next,
    );
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Flotilla Deployment Manager')
      .setDescription('Applications, instances, agents and the audit log of a Flotilla DM')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth(SESSION_COOKIE)
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('cookie')
      .build(),
  );
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_PATH}/json` });
}
