/* The reference master for bench/rs485-master.ts: libmodbus on the same pty.
   tx PATH SLAVE N            N reads of 10 holding registers from SLAVE
   scan PATH FROM TO MS       one read of 0x0100 per address, MS ms response timeout */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 5) return 2;
  modbus_t *ctx = modbus_new_rtu(argv[2], 115200, 'N', 8, 1);
  if (ctx == NULL || modbus_connect(ctx) == -1) {
    fprintf(stderr, "libmodbus: %s\n", modbus_strerror(errno));
    return 1;
  }
  uint16_t regs[125];
  int ok = 0, n = 0;
  double started = now_ms();
  if (strcmp(argv[1], "tx") == 0) {
    modbus_set_slave(ctx, atoi(argv[3]));
    for (n = 0; n < atoi(argv[4]); n++) ok += modbus_read_registers(ctx, 0, 10, regs) == 10;
  } else {
    int ms = argc > 5 ? atoi(argv[5]) : 100;
    modbus_set_response_timeout(ctx, ms / 1000, (ms % 1000) * 1000);
    for (int a = atoi(argv[3]); a <= atoi(argv[4]); a++, n++) {
      modbus_set_slave(ctx, a);
      ok += modbus_read_registers(ctx, 0x0100, 1, regs) == 1;
    }
  }
  printf("{\"ok\":%d,\"n\":%d,\"ms\":%.3f}\n", ok, n, now_ms() - started);
  modbus_close(ctx);
  modbus_free(ctx);
  return 0;
}
