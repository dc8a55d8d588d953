import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The nginx config: one upstream of the workers' ports, every path under `dir`, no daemon. */
export function nginxConfig(dir: string, port: number, workerPorts: number[]): string {
  const temp = (name: string) => join(dir, 'tmp', name);
  return `daemon off;
pid ${join(dir, 'nginx.pid')};
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
worker_rlimit_nofile 8192;
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  # clients under load keep their connections: nginx closes one after 1,000 requests by default, and a
  # request written while that close is under way fails on the client (a load generator counts an error)
  keepalive_requests 1000000;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  upstream shop {
${workerPorts.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://shop;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }
  }
}
`;
}

/** Starts Debian's nginx as our own foreground process: `nginx -p dir -c dir/nginx.conf -e dir/error.log`. */
export function startNginx(dir: string, port: number, workerPorts: number[]): ChildProcess {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, workerPorts));
  const child = spawn(process.env.NGINX ?? 'nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('error', () => undefined);
  return child;
}
