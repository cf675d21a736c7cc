/**
 * The controller's user name. A container may run vprov under a uid with no passwd entry
 * (Kubernetes runAsUser, OpenShift's arbitrary uids), where os.userInfo() throws: then $USER or
 * $LOGNAME, else "uid N". Only used as the default SSH user and in reports.
 */
import { userInfo } from 'node:os';

export function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
  }
}
