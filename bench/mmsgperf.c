/*
 * mmsgperf: a closed-loop DNS load generator that sends and receives in batches (sendmmsg/recvmmsg), for
 * bench/load.sh's "bpeak" phase. dnsperf makes one sendto and one recvfrom per query, so on a 2-core
 * machine it spends most of a core on syscalls and caps every server at the same rate; batching cuts the
 * client's share, so the server under test, not the client, sets the peak.
 *
 * It reads dnsperf's query file format ("name TYPE" per line, '#' comments), keeps up to -q queries in
 * flight spread over -c connected UDP sockets, and prints dnsperf's summary lines (the fields load.sh
 * parses: sent, completed, lost, queries per second, average latency). A query unanswered after -t ms is
 * lost; its ID is then reused. Only responses whose ID is in flight on that socket count. Loopback only
 * in this repository's scripts; every run is bounded by -l.
 *
 *   cc -O2 -o mmsgperf bench/mmsgperf.c
 *   mmsgperf -s 127.0.0.1 -p 5300 -d queries.txt -l 10 [-c 4] [-q 200] [-b 32] [-t 1000]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_QUERY 300
#define MAX_RESPONSE 4096
#define MAX_SOCKETS 64
#define MAX_BATCH 256

struct query { uint8_t wire[MAX_QUERY]; uint16_t len; };

struct sock {
  int fd;
  int window;            /* IDs 0..window-1 belong to this socket */
  uint64_t *sent_at;     /* per ID: send time in ns, 0 when free */
  uint16_t *free_ids;    /* stack of free IDs */
  int free_count;
  uint8_t (*tx)[MAX_QUERY];
};

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static void die(const char *what) { perror(what); exit(1); }

static int qtype_of(const char *t) {
  static const struct { const char *name; int code; } types[] = {
    {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"PTR", 12}, {"MX", 15}, {"TXT", 16},
    {"AAAA", 28}, {"SRV", 33}, {"ANY", 255},
  };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) if (!strcasecmp(t, types[i].name)) return types[i].code;
  return -1;
}

/* Encodes "name TYPE" as a query with ID 0, no flags (an authoritative server's view), one question. */
static int encode(const char *name, int qtype, struct query *q) {
  uint8_t *p = q->wire;
  memset(p, 0, 12);
  p[5] = 1; /* QDCOUNT */
  size_t at = 12;
  const char *label = name;
  while (*label) {
    const char *dot = strchr(label, '.');
    size_t n = dot ? (size_t) (dot - label) : strlen(label);
    if (n == 0 || n > 63 || at + 1 + n + 5 > MAX_QUERY) return -1;
    p[at++] = (uint8_t) n;
    memcpy(p + at, label, n);
    at += n;
    if (!dot) break;
    label = dot + 1;
  }
  p[at++] = 0;
  p[at++] = (uint8_t) (qtype >> 8); p[at++] = (uint8_t) qtype;
  p[at++] = 0; p[at++] = 1; /* IN */
  q->len = (uint16_t) at;
  return 0;
}

static struct query *load(const char *path, size_t *count) {
  FILE *f = fopen(path, "r");
  if (!f) die(path);
  size_t cap = 1024, n = 0;
  struct query *qs = malloc(cap * sizeof *qs);
  char line[1024], name[512], type[32];
  long lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *s = line;
    while (isspace((unsigned char) *s)) s++;
    if (*s == 0 || *s == '#') continue;
    if (sscanf(s, "%511s %31s", name, type) != 2) { fprintf(stderr, "%s:%ld: expected \"name TYPE\"\n", path, lineno); exit(2); }
    size_t len = strlen(name);
    if (len > 1 && name[len - 1] == '.') name[len - 1] = 0;
    int qtype = qtype_of(type);
    if (qtype < 0) { fprintf(stderr, "%s:%ld: unknown type %s\n", path, lineno, type); exit(2); }
    if (n == cap) qs = realloc(qs, (cap *= 2) * sizeof *qs);
    if (encode(name, qtype, &qs[n]) < 0) { fprintf(stderr, "%s:%ld: bad name %s\n", path, lineno, name); exit(2); }
    n++;
  }
  fclose(f);
  if (n == 0) { fprintf(stderr, "%s: no queries\n", path); exit(2); }
  *count = n;
  return qs;
}

static void usage(void) {
  fprintf(stderr, "usage: mmsgperf -s ADDR -p PORT -d FILE -l SECONDS [-c SOCKETS] [-q IN_FLIGHT] [-b BATCH] [-t TIMEOUT_MS]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *server = "127.0.0.1", *file = NULL;
  int port = 53, sockets = 4, in_flight = 200, batch = 32, timeout_ms = 1000;
  double seconds = 0;
  int opt;
  while ((opt = getopt(argc, argv, "s:p:d:l:c:q:b:t:")) != -1) {
    switch (opt) {
      case 's': server = optarg; break;
      case 'p': port = atoi(optarg); break;
      case 'd': file = optarg; break;
      case 'l': seconds = atof(optarg); break;
      case 'c': sockets = atoi(optarg); break;
      case 'q': in_flight = atoi(optarg); break;
      case 'b': batch = atoi(optarg); break;
      case 't': timeout_ms = atoi(optarg); break;
      default: usage();
    }
  }
  if (!file || seconds <= 0 || port <= 0 || port > 65535 || sockets < 1 || sockets > MAX_SOCKETS
      || in_flight < sockets || in_flight / sockets > 65536 || batch < 1 || batch > MAX_BATCH || timeout_ms < 1) usage();

  size_t nq;
  struct query *qs = load(file, &nq);

  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
  if (inet_pton(AF_INET, server, &to.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", server); return 2; }

  struct sock ss[MAX_SOCKETS];
  struct pollfd pfd[MAX_SOCKETS];
  for (int i = 0; i < sockets; i++) {
    struct sock *s = &ss[i];
    s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s->fd < 0) die("socket");
    int buf = 4 << 20;
    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    if (connect(s->fd, (struct sockaddr *) &to, sizeof to) < 0) die("connect");
    s->window = in_flight / sockets + (i < in_flight % sockets);
    s->sent_at = calloc((size_t) s->window, sizeof *s->sent_at);
    s->free_ids = malloc((size_t) s->window * sizeof *s->free_ids);
    s->tx = malloc((size_t) s->window * sizeof *s->tx);
    s->free_count = s->window;
    for (int id = 0; id < s->window; id++) s->free_ids[id] = (uint16_t) (s->window - 1 - id);
    pfd[i].fd = s->fd; pfd[i].events = POLLIN;
  }

  static uint8_t rx[MAX_BATCH][MAX_RESPONSE];
  struct mmsghdr rmsg[MAX_BATCH], smsg[MAX_BATCH];
  struct iovec riov[MAX_BATCH], siov[MAX_BATCH];
  for (int i = 0; i < batch; i++) {
    riov[i].iov_base = rx[i]; riov[i].iov_len = MAX_RESPONSE;
    memset(&rmsg[i], 0, sizeof rmsg[i]);
    rmsg[i].msg_hdr.msg_iov = &riov[i]; rmsg[i].msg_hdr.msg_iovlen = 1;
    memset(&smsg[i], 0, sizeof smsg[i]);
    smsg[i].msg_hdr.msg_iov = &siov[i]; smsg[i].msg_hdr.msg_iovlen = 1;
  }

  uint64_t sent = 0, completed = 0, lost = 0, latency_sum = 0, latency_min = UINT64_MAX, latency_max = 0;
  uint64_t rcodes[16] = {0}, unexpected = 0, send_errors = 0;
  size_t next = 0;
  const uint64_t timeout = (uint64_t) timeout_ms * 1000000u;
  const uint64_t start = now_ns(), stop = start + (uint64_t) (seconds * 1e9);
  uint64_t now = start, last_scan = start, sending_ended = 0;
  int sending = 1;

  for (;;) {
    now = now_ns();
    if (sending && now >= stop) { sending = 0; sending_ended = now; }
    int outstanding = 0, progress = 0;
    for (int i = 0; i < sockets; i++) {
      struct sock *s = &ss[i];
      int n = recvmmsg(s->fd, rmsg, (unsigned) batch, MSG_DONTWAIT, NULL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNREFUSED) die("recvmmsg");
      for (int k = 0; k < n; k++) {
        unsigned len = rmsg[k].msg_len;
        uint16_t id = len >= 12 ? (uint16_t) (rx[k][0] << 8 | rx[k][1]) : UINT16_MAX;
        if (len < 12 || !(rx[k][2] & 0x80) || id >= s->window || s->sent_at[id] == 0) { unexpected++; continue; }
        uint64_t lat = now - s->sent_at[id];
        latency_sum += lat;
        if (lat < latency_min) latency_min = lat;
        if (lat > latency_max) latency_max = lat;
        rcodes[rx[k][3] & 0x0f]++;
        completed++;
        s->sent_at[id] = 0;
        s->free_ids[s->free_count++] = id;
      }
      if (n > 0) progress = 1;
      if (sending && s->free_count > 0) {
        int k = s->free_count < batch ? s->free_count : batch;
        for (int j = 0; j < k; j++) {
          uint16_t id = s->free_ids[s->free_count - 1 - j];
          const struct query *q = &qs[next];
          if (++next == nq) next = 0;
          memcpy(s->tx[id], q->wire, q->len);
          s->tx[id][0] = (uint8_t) (id >> 8); s->tx[id][1] = (uint8_t) id;
          siov[j].iov_base = s->tx[id]; siov[j].iov_len = q->len;
        }
        int m = sendmmsg(s->fd, smsg, (unsigned) k, 0);
        if (m < 0) {
          if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNREFUSED && errno != ENOBUFS) die("sendmmsg");
          send_errors++; m = 0;
          /* unsent queries: their IDs were only peeked, nothing to undo beyond the rewind below */
        }
        for (int j = 0; j < m; j++) {
          uint16_t id = s->free_ids[--s->free_count];
          s->sent_at[id] = now;
        }
        sent += (uint64_t) m;
        if (m > 0) progress = 1;
        if (m < k) next = (next + nq - (size_t) (k - m)) % nq;
      }
      outstanding += s->window - s->free_count;
    }
    if (now - last_scan >= 10000000u || !sending) { /* every 10 ms, and while draining */
      last_scan = now;
      for (int i = 0; i < sockets; i++) {
        struct sock *s = &ss[i];
        for (int id = 0; id < s->window; id++) {
          if (s->sent_at[id] != 0 && now - s->sent_at[id] > timeout) {
            s->sent_at[id] = 0; s->free_ids[s->free_count++] = (uint16_t) id; lost++;
          }
        }
      }
    }
    if (!sending && (outstanding == 0 || now - sending_ended > timeout)) break;
    if (!progress) {
      int wait = sending ? 1 : 10;
      if (poll(pfd, (nfds_t) sockets, wait) < 0 && errno != EINTR) die("poll");
    }
  }
  for (int i = 0; i < sockets; i++) {
    struct sock *s = &ss[i];
    for (int id = 0; id < s->window; id++) if (s->sent_at[id] != 0) lost++;
    close(s->fd);
  }

  double run = (double) (sending_ended - start) / 1e9;
  printf("[Status] mmsgperf: %d sockets, %d in flight, batches of %d, %.2f s\n", sockets, in_flight, batch, run);
  printf("Statistics:\n\n");
  printf("  Queries sent:         %llu\n", (unsigned long long) sent);
  printf("  Queries completed:    %llu (%.2f%%)\n", (unsigned long long) completed, sent ? 100.0 * (double) completed / (double) sent : 0.0);
  printf("  Queries lost:         %llu (%.2f%%)\n", (unsigned long long) lost, sent ? 100.0 * (double) lost / (double) sent : 0.0);
  printf("  Unexpected responses: %llu\n", (unsigned long long) unexpected);
  printf("  Send errors:          %llu\n", (unsigned long long) send_errors);
  printf("  Response codes:       NOERROR %llu (%.2f%%), NXDOMAIN %llu, SERVFAIL %llu, other %llu\n",
         (unsigned long long) rcodes[0], completed ? 100.0 * (double) rcodes[0] / (double) completed : 0.0,
         (unsigned long long) rcodes[3], (unsigned long long) rcodes[2],
         (unsigned long long) (completed - rcodes[0] - rcodes[2] - rcodes[3]));
  printf("  Run time (s):         %.6f\n", run);
  printf("  Queries per second:   %.6f\n", run > 0 ? (double) completed / run : 0.0);
  printf("\n  Average Latency (s):  %.6f (min %.6f, max %.6f)\n",
         completed ? (double) latency_sum / (double) completed / 1e9 : 0.0,
         completed ? (double) latency_min / 1e9 : 0.0, (double) latency_max / 1e9);
  return 0;
}
