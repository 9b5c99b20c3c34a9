#!/usr/bin/env python3
"""Static check of docker-compose.yml where Docker cannot run (CI): the YAML parses, keys and
depends_on conditions follow the Compose specification, every variable interpolates from a
filled-in .env.example, the apps' URLs are well formed, and mounted files exist.
Usage: python3 deploy/check-compose.py  (from the repository root; needs PyYAML)."""
import os
import re
import sys
from urllib.parse import urlparse

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Service keys of the Compose specification (compose-spec.json) that this project may use.
SERVICE_KEYS = {
    'build', 'image', 'command', 'entrypoint', 'environment', 'env_file', 'volumes', 'ports',
    'depends_on', 'healthcheck', 'restart', 'init', 'stop_grace_period', 'stop_signal', 'user',
    'working_dir', 'labels', 'networks', 'expose', 'read_only', 'tmpfs', 'ulimits', 'deploy',
    'container_name', 'hostname', 'logging', 'profiles',
}
HEALTHCHECK_KEYS = {'test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'}
CONDITIONS = {'service_started', 'service_healthy', 'service_completed_successfully'}
RESTART = {'no', 'always', 'on-failure', 'unless-stopped'}
NAME = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')

errors = []


def interpolate(text, env, where):
    """Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e},
    ${VAR:+a}, ${VAR+a}, with nested ${...} in the default."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != '$':
            out.append(c)
            i += 1
        elif text.startswith('$$', i):
            out.append('$')
            i += 2
        elif text.startswith('${', i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text.startswith('${', j):
                    depth, j = depth + 1, j + 2
                    continue
                depth -= text[j] == '}'
                j += 1
            if depth:
                errors.append(f'{where}: unclosed ${{ in {text!r}')
                return text
            out.append(expand(text[i + 2:j - 1], env, where))
            i = j
        else:
            m = NAME.match(text, i + 1)
            if not m:
                errors.append(f'{where}: lone $ in {text!r} (write $$ for a literal $)')
                return text
            out.append(env.get(m.group(0), ''))
            i = m.end()
    return ''.join(out)


def expand(body, env, where):
    m = NAME.match(body)
    if not m:
        errors.append(f'{where}: bad variable ${{{body}}}')
        return ''
    name, rest = m.group(0), body[m.end():]
    value = env.get(name)
    if rest == '':
        if value is None:
            errors.append(f'{where}: {name} is not set and has no default')
        return value or ''
    op = rest[:2] if rest[:2] in (':-', ':?', ':+') else rest[:1]
    arg = rest[len(op):]
    empty = value is None or (op.startswith(':') and value == '')
    if op in (':-', '-'):
        return interpolate(arg, env, where) if empty else value
    if op in (':?', '?'):
        if empty:
            errors.append(f'{where}: required {name} is missing ({arg})')
        return value or ''
    if op in (':+', '+'):
        return '' if empty else interpolate(arg, env, where)
    errors.append(f'{where}: unknown operator in ${{{body}}}')
    return ''


def walk(node, env, where):
    if isinstance(node, dict):
        return {k: walk(v, env, f'{where}.{k}') for k, v in node.items()}
    if isinstance(node, list):
        return [walk(v, env, f'{where}[{n}]') for n, v in enumerate(node)]
    if isinstance(node, str):
        return interpolate(node, env, where)
    return node


def example_env():
    """.env.example with every empty secret filled, as a user would after copying it."""
    env = {}
    with open(os.path.join(ROOT, '.env.example'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#') and '=' in line:
                key, value = line.split('=', 1)
                env[key] = value or '0123456789abcdef' * 4
    return env


def main():
    with open(os.path.join(ROOT, 'docker-compose.yml'), encoding='utf-8') as f:
        raw = yaml.safe_load(f)
    env = example_env()
    doc = walk(raw, env, 'compose')
    for key in doc:
        if key not in ('name', 'services', 'volumes', 'networks', 'secrets', 'configs') and not key.startswith('x-'):
            errors.append(f'unknown top-level key {key}')
    services, volumes = doc.get('services', {}), doc.get('volumes') or {}
    for name, svc in services.items():
        where = f'services.{name}'
        for key in svc:
            if key not in SERVICE_KEYS:
                errors.append(f'{where}: unknown key {key}')
        if 'image' not in svc and 'build' not in svc:
            errors.append(f'{where}: needs image or build')
        if str(svc.get('restart', 'no')) not in RESTART:
            errors.append(f'{where}: bad restart {svc.get("restart")}')
        for key in set(svc.get('healthcheck', {})) - HEALTHCHECK_KEYS:
            errors.append(f'{where}.healthcheck: unknown key {key}')
        for dep, spec in (svc.get('depends_on') or {}).items():
            cond = spec.get('condition') if isinstance(spec, dict) else None
            if dep not in services:
                errors.append(f'{where}: depends on unknown service {dep}')
            elif cond not in CONDITIONS:
                errors.append(f'{where}: depends_on.{dep} has condition {cond}')
            elif cond == 'service_healthy' and 'healthcheck' not in services[dep]:
                errors.append(f'{where}: waits for {dep} to be healthy, but {dep} has no healthcheck')
        for mount in svc.get('volumes', []):
            source = str(mount).split(':')[0]
            if source.startswith('.'):
                if not os.path.exists(os.path.join(ROOT, source)):
                    errors.append(f'{where}: bind mount {source} does not exist')
            elif source not in volumes:
                errors.append(f'{where}: volume {source} is not declared')
        environment = svc.get('environment') or {}
        for var, schemes in (('DATABASE_URL', ('postgres', 'postgresql')), ('REDIS_URL', ('redis', 'rediss')),
                             ('MQTT_URL', ('mqtt', 'mqtts', 'ws', 'wss'))):
            if var in environment:
                url = urlparse(str(environment[var]))
                if url.scheme not in schemes or not url.hostname:
                    errors.append(f'{where}: {var} renders as {environment[var]!r}')
        command = svc.get('command')
        if isinstance(command, list) and len(command) > 1 and command[1].startswith('dist/apps/'):
            source = command[1].replace('dist/', '', 1).replace('.js', '.ts')
            if not os.path.exists(os.path.join(ROOT, source)):
                errors.append(f'{where}: runs {command[1]} but {source} does not exist')
    if errors:
        print('docker-compose.yml check failed:\n  ' + '\n  '.join(errors), file=sys.stderr)
        return 1
    print(f'docker-compose.yml ok: {len(services)} services ({", ".join(services)})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
