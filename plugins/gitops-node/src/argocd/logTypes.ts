/**
 * One line of an application's pod logs (Argo CD v3.5.1 `application.LogEntry`), as each
 * `{"result": ...}` line of `GET /api/v1/applications/{name}/logs` carries it. The stream ends
 * with an entry whose `last` is true and whose content and pod name are empty.
 *
 * @public
 */
export interface ApplicationLogEntry {
  content?: string;
  /** RFC3339 (seconds) of the line, from the kubelet's timestamp. */
  timeStamp?: string;
  /** The same time with nanoseconds (RFC3339Nano). */
  timeStampStr?: string;
  podName?: string;
  last?: boolean;
}

/**
 * Which logs `GET /api/v1/applications/{name}/logs` streams: one container of one pod of the
 * app (Argo CD also selects pods by a parent's kind and name; Kupe always names the pod).
 *
 * @public
 */
export interface PodLogsQuery {
  /** Namespace of the pod on its cluster. */
  namespace: string;
  podName: string;
  /** Container name; Argo CD takes the pod's only container when omitted. */
  container?: string;
  /** Lines from the last N seconds only (positive). */
  sinceSeconds?: number;
  /** The last N lines only (positive). */
  tailLines?: number;
  /** Keep the stream open and send new lines as the container writes them. */
  follow?: boolean;
  /** The previous, terminated instance of the container (a crash-looping one's last run). */
  previous?: boolean;
  /** Only lines containing this text (a leading `!` inverts), case-insensitive unless `matchCase`. */
  filter?: string;
  matchCase?: boolean;
}

/**
 * The resource whose Kubernetes events `GET /api/v1/applications/{name}/events` lists: Argo CD
 * requires all three to match a node of the app's resource tree (else 400).
 *
 * @public
 */
export interface EventResourceRef {
  name: string;
  namespace: string;
  uid: string;
}
