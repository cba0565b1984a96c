import { useEffect, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  LogViewer,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  POD_LOG_LIMITS,
  type ApplicationSummary,
  type LogLine,
  type LogPod,
} from '@kupe/plugin-gitops-common';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import type {
  GitOpsLogsClient,
  PodLogsQuery,
} from '../../api/GitOpsLogsClient';
import { gitOpsTranslationRef } from '../../translation';

/** Choices of "since"; undefined is the whole log the kubelet keeps (cut by tail). */
const SINCE: Array<{
  choice: 'all' | 'fiveMinutes' | 'hour' | 'day';
  seconds?: number;
}> = [
  { choice: 'all' },
  { choice: 'fiveMinutes', seconds: 300 },
  { choice: 'hour', seconds: 3600 },
  { choice: 'day', seconds: 86_400 },
];

/** Lines kept on screen while following; older ones scroll away. */
const FOLLOW_KEEP_LINES = POD_LOG_LIMITS.maxTailLines;

const textOf = (lines: LogLine[]) =>
  lines.map(l => `${l.timeStamp} ${l.content}`).join('\n');

const podKey = (pod: LogPod) => `${pod.namespace}/${pod.name}`;

/** A crash-looping pod first: it is the one whose logs are wanted. */
function byTrouble(a: LogPod, b: LogPod) {
  const bad = (p: LogPod) => (p.health === 'Degraded' ? 0 : 1);
  return bad(a) - bad(b) || podKey(a).localeCompare(podKey(b));
}

interface LogState {
  lines: LogLine[];
  loading: boolean;
  error?: Error;
  /** Why a followed stream stopped, when the server said. */
  stopped?: string;
}

/**
 * One container's log in Backstage's LogViewer: the pod and container from the app's resource
 * tree, since and tail, follow (a live stream, closed when turned off, when another container
 * is chosen and when the panel closes) and download.
 */
export function PodLogs(props: {
  app: ApplicationSummary;
  client: GitOpsLogsClient;
}) {
  const { app, client } = props;
  const { t } = useTranslationRef(gitOpsTranslationRef);
  const ref = useMemo(
    () => ({
      instance: app.instance,
      appNamespace: app.appNamespace,
      name: app.name,
    }),
    [app.instance, app.appNamespace, app.name],
  );
  const idBase = `logs-${app.instance}-${app.appNamespace}-${app.name}`;
  const pods = useAsyncValue(() => client.getPods(ref), [client, ref]);
  const sorted = useMemo(
    () => [...(pods.value?.items ?? [])].sort(byTrouble),
    [pods.value],
  );
  const [podChoice, setPodChoice] = useState<string>();
  const [containerChoice, setContainerChoice] = useState<string>();
  const [since, setSince] = useState(0);
  const [tail, setTail] = useState<number>(POD_LOG_LIMITS.defaultTailLines);
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(false);
  const [state, setState] = useState<LogState>({ lines: [], loading: false });

  const pod = sorted.find(p => podKey(p) === podChoice) ?? sorted[0];
  const container =
    containerChoice && pod?.containers.includes(containerChoice)
      ? containerChoice
      : pod?.containers[pod.containers.length - 1];
  const tailValid =
    Number.isInteger(tail) && tail >= 1 && tail <= POD_LOG_LIMITS.maxTailLines;
  const query: PodLogsQuery | undefined =
    pod && tailValid
      ? {
          namespace: pod.namespace,
          pod: pod.name,
          container,
          sinceSeconds: SINCE[since].seconds,
          tailLines: tail,
          previous: previous || undefined,
        }
      : undefined;
  const queryKey = JSON.stringify(query);

  useEffect(() => {
    if (!query) return undefined;
    const abort = new AbortController();
    setState({ lines: [], loading: true });
    if (!follow) {
      client.getLogs(ref, query, abort.signal).then(
        logs => setState({ lines: logs.lines, loading: false }),
        error => {
          if (!abort.signal.aborted)
            setState({ lines: [], loading: false, error });
        },
      );
    } else {
      let pending: LogLine[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Lines are added in batches, so a burst re-renders the viewer once.
      const flush = () => {
        timer = undefined;
        const batch = pending;
        pending = [];
        setState(s => ({
          ...s,
          loading: false,
          lines: [...s.lines, ...batch].slice(-FOLLOW_KEEP_LINES),
        }));
      };
      client
        .follow(
          ref,
          query,
          line => {
            pending.push(line);
            if (!timer) timer = setTimeout(flush, 100);
          },
          abort.signal,
        )
        .then(
          end => {
            if (abort.signal.aborted) return;
            flush();
            setState(s => ({
              ...s,
              loading: false,
              stopped: end && !end.ended ? end.message : t('logs.ended'),
            }));
          },
          error => {
            if (!abort.signal.aborted)
              setState(s => ({ ...s, loading: false, error }));
          },
        );
      return () => {
        clearTimeout(timer);
        abort.abort();
      };
    }
    // Leaving the panel or changing the choice closes the request (and a followed stream).
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, ref, queryKey, follow]);

  const download = async () => {
    if (!query) return;
    try {
      const blob = await client.download(ref, query);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${[query.pod, query.container]
        .filter(Boolean)
        .join('-')}.log`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setState(s => ({ ...s, error: error as Error }));
    }
  };

  if (pods.error) return <ResponseErrorPanel error={pods.error} />;
  if (pods.loading && !pods.value) return <Progress />;
  if (sorted.length === 0) {
    return <Typography variant="body2">{t('logs.noPods')}</Typography>;
  }
  return (
    <Box
      component="section"
      aria-label={t('logs.logsLabel', { name: app.name })}
      data-testid="pod-logs"
    >
      <Box display="flex" flexWrap="wrap" alignItems="center" my={1}>
        <Box mr={2} mb={1}>
          <TextField
            select
            size="small"
            variant="outlined"
            id={`${idBase}-pod`}
            label={t('logs.pod')}
            value={pod ? podKey(pod) : ''}
            onChange={e => setPodChoice(e.target.value)}
          >
            {sorted.map(p => (
              <MenuItem key={podKey(p)} value={podKey(p)}>
                {p.name}
                {p.statusReason ? ` (${p.statusReason})` : ''}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {pod && pod.containers.length > 0 && (
          <Box mr={2} mb={1}>
            <TextField
              select
              size="small"
              variant="outlined"
              id={`${idBase}-container`}
              label={t('logs.container')}
              value={container ?? ''}
              onChange={e => setContainerChoice(e.target.value)}
            >
              {pod.containers.map(c => (
                <MenuItem key={c} value={c}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
          </Box>
        )}
        <Box mr={2} mb={1}>
          <TextField
            select
            size="small"
            variant="outlined"
            id={`${idBase}-since`}
            label={t('logs.since')}
            value={since}
            onChange={e => setSince(Number(e.target.value))}
          >
            {SINCE.map((s, i) => (
              <MenuItem key={s.choice} value={i}>
                {t(`logs.sinceChoices.${s.choice}`)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <Box mr={2} mb={1} width={140}>
          <TextField
            size="small"
            variant="outlined"
            type="number"
            id={`${idBase}-tail`}
            label={t('logs.lastLines')}
            value={Number.isNaN(tail) ? '' : tail}
            onChange={e => setTail(Number.parseInt(e.target.value, 10))}
            inputProps={{ min: 1, max: POD_LOG_LIMITS.maxTailLines }}
            error={!tailValid}
            helperText={
              tailValid
                ? undefined
                : t('logs.lastLinesRange', {
                    max: String(POD_LOG_LIMITS.maxTailLines),
                  })
            }
          />
        </Box>
        <FormControlLabel
          control={
            <Switch
              checked={previous}
              onChange={e => setPrevious(e.target.checked)}
              disabled={follow}
            />
          }
          label={t('logs.previous')}
        />
        <FormControlLabel
          control={
            <Switch
              checked={follow}
              onChange={e => setFollow(e.target.checked)}
              disabled={previous}
            />
          }
          label={t('logs.follow')}
        />
        <Button
          variant="outlined"
          size="small"
          onClick={download}
          disabled={!query}
        >
          {t('logs.download')}
        </Button>
      </Box>
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.stopped && (
        <Alert severity="info" data-testid="follow-stopped">
          {state.stopped}
        </Alert>
      )}
      {state.loading && <Progress />}
      {!state.loading && !state.error && state.lines.length === 0 && (
        <Typography variant="body2">
          {since === 0 ? t('logs.noLines') : t('logs.noLinesInTime')}
        </Typography>
      )}
      {state.lines.length > 0 && (
        <Box height={400} data-testid="log-viewer">
          <LogViewer text={textOf(state.lines)} />
        </Box>
      )}
    </Box>
  );
}
