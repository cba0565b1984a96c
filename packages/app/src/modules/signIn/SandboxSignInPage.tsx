import { useEffect, useState } from 'react';
import {
  Content,
  Header,
  Page,
  Progress,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Card,
  CardActions,
  CardContent,
  Grid,
  Typography,
} from '@material-ui/core';

/** A seeded user, as `GET /api/gitops-sandbox/users` lists them. */
interface SandboxUser {
  name: string;
  displayName: string;
  groups: string[];
  tenants: string[];
  admin: boolean;
}

const STORAGE_KEY = 'kupe-sandbox-user';
const USER_HEADER = 'x-kupe-sandbox-user';

/**
 * Sign-in for the embedded sandbox: pick any seeded user and see the portal through their
 * tenants. Without the sandbox (its users route answers 404) the guest provider is offered.
 */
export function SandboxSignInPage(props: SignInPageProps) {
  const discovery = useApi(discoveryApiRef);
  const [users, setUsers] = useState<SandboxUser[] | undefined | null>(
    undefined,
  );
  const [chosen, setChosen] = useState<string | null>(() =>
    window.sessionStorage.getItem(STORAGE_KEY),
  );

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const base = await discovery.getBaseUrl('gitops-sandbox');
        const res = await fetch(`${base}/users`);
        const body = res.ok
          ? ((await res.json()) as { items: SandboxUser[] })
          : null;
        if (!cancelled) setUsers(body?.items ?? null);
      } catch {
        if (!cancelled) setUsers(null);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [discovery]);

  if (users === undefined) return <Progress />;
  if (users === null) return <SignInPage {...props} providers={['guest']} />;

  if (chosen && users.some(u => u.name === chosen)) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="sandbox"
        headers={{ [USER_HEADER]: chosen }}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="Kupe Cloud sandbox"
        subtitle="Sign in as a seeded user to see the portal through their tenants"
      />
      <Content>
        <Grid
          container
          spacing={3}
          component="ul"
          style={{ listStyle: 'none', padding: 0 }}
        >
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.name} component="li">
              <Card>
                <CardContent>
                  <Typography variant="h6" component="h2">
                    {user.displayName}
                  </Typography>
                  <Typography color="textSecondary">
                    {user.admin
                      ? 'Platform admin: every tenant'
                      : `Tenant: ${user.tenants.join(', ') || 'none'}`}
                  </Typography>
                  <Typography variant="body2">
                    Groups: {user.groups.join(', ')}
                  </Typography>
                </CardContent>
                <CardActions>
                  <Button
                    color="primary"
                    variant="contained"
                    aria-label={`Sign in as ${user.displayName}`}
                    onClick={() => {
                      window.sessionStorage.setItem(STORAGE_KEY, user.name);
                      setChosen(user.name);
                    }}
                  >
                    Sign in
                  </Button>
                </CardActions>
              </Card>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
