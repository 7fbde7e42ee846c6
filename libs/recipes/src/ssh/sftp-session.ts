import type { Client, SFTPWrapper } from 'ssh2';
import { SshError } from './ssh.errors';

const sessions = new WeakMap<Client, Promise<SFTPWrapper>>();

/**
 * The SFTP session of a connection, opened once and shared by every upload over it (a pooled
 * connection keeps its session; a session that closes is reopened on next use).
 * @throws SshError SSH_UPLOAD_FAILED when the server refuses the sftp subsystem.
 */
export function sftpSessionOf(client: Client, target: string): Promise<SFTPWrapper> {
  const existing = sessions.get(client);
  if (existing) {
    return existing;
  }
  const opening = new Promise<SFTPWrapper>((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) {
        reject(
          new SshError(
            'SSH_UPLOAD_FAILED',
            `Cannot open an SFTP session on ${target}: ${error.message}`,
            { target },
            { cause: error },
          ),
        );
        return;
      }
      sftp.on('close', () => sessions.delete(client));
      resolve(sftp);
    });
  });
  sessions.set(client, opening);
  opening.catch(() => sessions.delete(client));
  return opening;
}

/**
 * Writes one file over SFTP with exactly `mode` (created exclusively: it must not exist yet).
 * @throws SshError SSH_UPLOAD_FAILED naming the remote file.
 */
export function sftpWriteFile(
  sftp: SFTPWrapper,
  path: string,
  content: Buffer | string,
  mode: number,
  target: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.writeFile(path, content, { mode, flag: 'wx' }, (error) => {
      if (error) {
        reject(uploadFailure(target, path, error));
        return;
      }
      // The server applies the umask to the create mode: set it explicitly.
      sftp.chmod(path, mode, (chmodError) =>
        chmodError ? reject(uploadFailure(target, path, chmodError)) : resolve(),
      );
    });
  });
}

/**
 * Creates one directory over SFTP.
 * @throws SshError SSH_UPLOAD_FAILED naming the remote directory.
 */
export function sftpMakeDirectory(
  sftp: SFTPWrapper,
  path: string,
  mode: number,
  target: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.mkdir(path, { mode }, (error) =>
      error ? reject(uploadFailure(target, path, error)) : resolve(),
    );
  });
}

function uploadFailure(target: string, path: string, error: Error): SshError {
  return new SshError(
    'SSH_UPLOAD_FAILED',
    `Cannot write ${target}:${path}: ${error.message}`,
    { target, file: path },
    { cause: error },
  );
}
