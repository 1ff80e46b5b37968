#!/usr/bin/env python3
"""Drives an imgpipe node the way the original system's Python clients did, with the standard library only.

It follows probe_connection.py, test_resize.py, debug_xmlrpc.py and pipeline_demo.py (same calls, same
parameter order, same options), and then checks every method's keys (and their order), types and values,
the fault channel, introspection, multicall and gzip.

Usage: original_clients.py HOST RESIZE_PORT FILTER_PORT WATERMARK_PORT ORCHESTRATOR_PORT FORMAT_PORT
Exits 0 when every check passes; prints one line per check.
"""
import http.client
import ipaddress
import os
import socket
import gzip
import struct
import sys
import xmlrpc.client
import zlib

HOST = sys.argv[1]
PORTS = dict(zip(["resize", "filter", "watermark", "orchestrator", "format"], map(int, sys.argv[2:7])))
GZIP_ANSWERS = os.environ.get("GZIP_ANSWERS", "remote")
LOOPBACK = ipaddress.ip_address(socket.gethostbyname(HOST)).is_loopback
checks = 0


def proxy(service, **kw):
    # The original's clients use http://host:port, which ServerProxy turns into POST /RPC2.
    return xmlrpc.client.ServerProxy("http://%s:%d" % (HOST, PORTS[service]), **kw)


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError("FAILED: " + what)
    checks += 1


# --- minimal PNG writer and reader (8-bit RGB / RGBA, non-interlaced), enough to build and inspect images

def png(width, height, row_fn):
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        raw += row_fn(y)
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


def solid_png(width, height, rgb):
    row = bytes(rgb) * width
    return png(width, height, lambda y: row)


def gradient_png(width, height):
    # test_resize.py's gradient: R = 255*y/h, G = 255*(1 - y/h), B = 128
    return png(width, height, lambda y: bytes((int(255 * y / height), int(255 * (1 - y / height)), 128)) * width)


def png_header(data):
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature")
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    return width, height, color_type


def png_pixels(data):
    width, height, color_type = png_header(data)
    channels = {2: 3, 6: 4, 0: 1, 4: 2}[color_type]
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xff
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xff
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xff
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xff
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def pixel(data, x, y):
    width, height, channels, rows = png_pixels(data)
    return tuple(rows[y][x * channels:x * channels + min(channels, 3)])


def keys(struct_value):
    return list(struct_value.keys())


# --- probe_connection.py

r = proxy("resize").resize_image(xmlrpc.client.Binary(b"test"), "probe", 100, 100, True)
check(r["success"] is False, "probe answers success false")
check(r["message"].startswith("Resize failed: "), "probe message prefix: " + r["message"])
check("BytesIO" not in r["message"] and "0x" not in r["message"], "probe message leaks no internals")
print("ok probe_connection: " + r["message"])

# --- test_resize.py

source = gradient_png(1920, 1080)
resize = proxy("resize")
r = resize.resize_image(xmlrpc.client.Binary(source), "test_001", 800, 600, True)
check(keys(r) == ["success", "message", "resized_image", "new_width", "new_height", "processing_time_ms"],
      "resize keys in order: %s" % keys(r))
check(r["success"] is True, "resize success")
check(r["message"] == "Resized from 1920x1080 to 800x450", "resize message: " + r["message"])
check(isinstance(r["resized_image"], xmlrpc.client.Binary), "resized_image is Binary")
check((r["new_width"], r["new_height"]) == (800, 450), "new size")
check(type(r["processing_time_ms"]) is int and r["processing_time_ms"] >= 0, "processing_time_ms int")
check(png_header(r["resized_image"].data)[:2] == (800, 450), "resized PNG is 800x450")
print("ok resize_image 800x600 -> 800x450 in %d ms" % r["processing_time_ms"])

t = resize.get_thumbnail(xmlrpc.client.Binary(source), "test_001", 256)
check(keys(t) == ["data", "width", "height", "format"], "thumbnail keys: %s" % keys(t))
check((t["width"], t["height"], t["format"]) == (256, 144, "PNG"), "thumbnail 256x144 PNG")
check(png_header(t["data"].data)[:2] == (256, 144), "thumbnail bytes are a 256x144 PNG")
bad = resize.get_thumbnail(xmlrpc.client.Binary(b"nope"), "t", 64)
check((bad["width"], bad["height"], bad["format"], bad["data"].data) == (0, 0, "ERROR", b""), "thumbnail error shape")
print("ok get_thumbnail 256 -> 256x144")

expected = {(1280, 720): (1280, 720), (1024, 768): (1024, 576), (800, 600): (800, 450), (640, 480): (640, 360),
            (320, 240): (320, 180), (1600, 900): (1600, 900), (1366, 768): (1366, 768), (1440, 900): (1440, 810),
            (1680, 1050): (1680, 945), (1920, 1200): (1920, 1080)}
for k, (target, size) in enumerate(expected.items(), 1):
    r = resize.resize_image(xmlrpc.client.Binary(source), "batch_%d" % k, target[0], target[1], True)
    check(r["success"] and (r["new_width"], r["new_height"]) == size, "resize %s -> %s, got %s" % (target, size, r["message"]))
    print("ok [%d/10] %dx%d -> %d ms" % (k, target[0], target[1], r["processing_time_ms"]))

z = resize.resize_image(xmlrpc.client.Binary(source), "z", 0, 0, True)
check(keys(z) == ["success", "message", "resized_image", "processing_time_ms"], "failed resize has no sizes: %s" % keys(z))
check(z["resized_image"].data == b"" and z["message"].startswith("Resize failed: "), "failed resize shape")
keep = resize.resize_image(xmlrpc.client.Binary(source), "k", 0, 0, False)
check(keep["success"] and (keep["new_width"], keep["new_height"]) == (1920, 1080), "0x0 without aspect keeps the size")
print("ok resize edge cases")

# --- debug_xmlrpc.py

red = solid_png(100, 100, (255, 0, 0))
orchestrator = proxy("orchestrator")
d = orchestrator.process_image("debug.png", xmlrpc.client.Binary(red),
                               {"target_width": 50, "target_height": 50, "filters": [], "add_watermark": False,
                                "output_format": "PNG", "output_quality": 90})
check(type(d) is dict, "process_image answers a dict")
check(keys(d) == ["success", "message", "process_id", "processed_image", "stats"], "process_image keys: %s" % keys(d))
check(d["success"] is True and d["message"] == "Processing completed successfully", "debug message: " + d["message"])
check(png_header(d["processed_image"].data)[:2] == (50, 50), "debug image is 50x50")
check(pixel(d["processed_image"].data, 25, 25) == (255, 0, 0), "debug image is still red")
print("ok debug_xmlrpc: %s" % d["message"])

# --- pipeline_demo.py (one image of each rotation)

sizes = [(1920, 1080), (1280, 720), (1600, 900), (2560, 1440)]
filter_sets = [["BLUR", "SHARPEN"], ["SEPIA"], ["BRIGHTNESS", "CONTRAST"], ["GRAYSCALE"]]
for i in range(1, 5):
    w, h = sizes[i % 4]
    texts = ["Image #%d" % i, "Batch Processing", "Distributed Pipeline", "XML-RPC Demo"]
    image = png(w, h, lambda y: bytes((int(255 * y / h), 128, int(255 * (1 - y / h)))) * w)
    options = {"target_width": 1280, "target_height": 720, "filters": filter_sets[i % 4], "add_watermark": True,
               "watermark_text": texts[i % 4], "watermark_position": "bottom-right", "output_format": "PNG",
               "output_quality": 90}
    r = orchestrator.process_image("output/batch_%03d.png" % i, xmlrpc.client.Binary(image), options)
    check(r["success"] is True, "demo image %d: %s" % (i, r["message"]))
    check(isinstance(r["process_id"], str) and len(r["process_id"]) == 36, "process_id is a UUID string")
    check(png_header(r["processed_image"].data)[:3] == (1280, 720, 2), "demo output is 1280x720 RGB PNG")
    stats = r["stats"]
    check(keys(stats) == ["original_size_bytes", "resize_time_ms", "filter_time_ms", "watermark_time_ms",
                          "format_time_ms", "host_map", "total_time_ms", "processed_size_bytes"],
          "stats keys: %s" % keys(stats))
    check(all(type(stats[k]) is int for k in stats if k != "host_map"), "stats values are ints")
    check(stats["original_size_bytes"] == len(image), "original_size_bytes")
    check(stats["processed_size_bytes"] == len(r["processed_image"].data), "processed_size_bytes")
    expected_hosts = ["Resize"] + ["Filter-%d (%s)" % (n + 1, f) for n, f in enumerate(filter_sets[i % 4])] \
        + ["Watermark", "Format", "Orchestrator"]
    check(keys(stats["host_map"]) == expected_hosts, "host_map keys: %s" % keys(stats["host_map"]))
    s = orchestrator.get_processing_status(r["process_id"])
    check(keys(s) == ["process_id", "status", "progress_percent", "current_stage", "stats"], "status keys")
    check((s["process_id"], s["status"], s["progress_percent"]) == (r["process_id"], "completed", 100), "status completed")
    print("ok 🎯 IMAGE %d/4: Success! Total: %dms" % (i, stats["total_time_ms"]))

unknown = orchestrator.get_processing_status("no-such-id")
check(unknown["status"] == "unknown" and unknown["process_id"] == "no-such-id", "unknown id status")
nil = proxy("orchestrator", allow_none=True).get_processing_status(None)
check(nil["process_id"] is None, "nil process_id echoed")
failed = orchestrator.process_image("x.png", xmlrpc.client.Binary(b"garbage"), {})
check(failed["success"] is False and failed["processed_image"].data == b"", "bad image is a failure struct")
print("ok get_processing_status and failures")

# --- filter service

flt = proxy("filter")
base = solid_png(40, 30, (200, 100, 50))
g = flt.apply_filter(xmlrpc.client.Binary(base), "f", "GRAYSCALE", 1.0)
check(keys(g) == ["success", "message", "filtered_image", "processing_time_ms"], "apply_filter keys")
check(g["message"] == "Applied GRAYSCALE filter", "apply_filter message")
check(pixel(g["filtered_image"].data, 5, 5) == (124, 124, 124), "GRAYSCALE (200,100,50) -> 124")
n = flt.apply_filter(xmlrpc.client.Binary(base), "f", "NEGATIVE", 1)
check(pixel(n["filtered_image"].data, 5, 5) == (55, 155, 205), "NEGATIVE with an int intensity")
b = flt.apply_filter(xmlrpc.client.Binary(base), "f", "BRIGHTNESS", 1.0)
check(pixel(b["filtered_image"].data, 5, 5) == (255, 200, 100), "BRIGHTNESS at 1.0 doubles")
u = flt.apply_filter(xmlrpc.client.Binary(base), "f", "FOO", 1.0)
check(u["success"] is False and u["message"].startswith("Filter failed: ") and u["filtered_image"].data == b"",
      "unknown filter is an error: " + u["message"])
bf = flt.batch_filter(xmlrpc.client.Binary(base), "b", [])
check(keys(bf) == ["success", "message", "filtered_image", "total_processing_time_ms"], "batch_filter keys")
check(bf["message"] == "Applied 0 filters", "batch of none")
bf2 = flt.batch_filter(xmlrpc.client.Binary(base), "b", ["GRAYSCALE", "NEGATIVE"])
check(bf2["success"] and bf2["message"] == "Applied 2 filters", "batch of two")
print("ok filter service")

# --- watermark service

wm = proxy("watermark")
black = solid_png(1280, 720, (0, 0, 0))
t = wm.add_text_watermark(xmlrpc.client.Binary(black), "w", "XML-RPC Demo", "bottom-right", 30, "#FFFFFF", 0.8)
check(keys(t) == ["success", "message", "watermarked_image", "processing_time_ms"], "text watermark keys")
check(t["success"] and t["message"] == "Text watermark added", "text watermark message")
check(png_header(t["watermarked_image"].data)[2] == 2, "watermark output is RGB")
logo = solid_png(100, 50, (255, 255, 255))
lg = wm.add_logo_watermark(xmlrpc.client.Binary(solid_png(400, 200, (0, 0, 0))), "l", xmlrpc.client.Binary(logo),
                           "top-left", 0.25, 1.0)
check(lg["success"] and lg["message"] == "Logo watermark added", "logo watermark")
check(pixel(lg["watermarked_image"].data, 30, 30) == (255, 255, 255), "logo pasted at top-left with the margin")
bad = wm.add_text_watermark(xmlrpc.client.Binary(black), "w", "x", "nowhere", 30, "#FFFFFF", 0.8)
check(bad["success"] is False and bad["message"].startswith("Watermark failed: "), "unknown position is an error")
print("ok watermark service")

# --- format service

fmt = proxy("format")
j = fmt.convert_format(xmlrpc.client.Binary(base), "c", "JPEG", 90)
check(keys(j) == ["success", "message", "formatted_image", "processing_time_ms"], "convert_format keys")
check(j["message"] == "Format conversion successful" and j["formatted_image"].data[:3] == b"\xff\xd8\xff", "JPEG")
wp = fmt.convert_format(xmlrpc.client.Binary(base), "c", "WEBP", 80)
check(wp["formatted_image"].data[:4] == b"RIFF" and wp["formatted_image"].data[8:12] == b"WEBP", "WEBP")
bad = fmt.convert_format(xmlrpc.client.Binary(base), "c", "TIFF", 90)
check(bad["success"] is False and bad["message"].startswith("Format failed: "), "unknown format is an error")
print("ok format service")

# --- faults, introspection, multicall, gzip

for service, port in PORTS.items():
    try:
        proxy(service).nosuch()
        check(False, "unknown method must fault")
    except xmlrpc.client.Fault as f:
        check(f.faultCode == 1 and f.faultString == "<class 'Exception'>:method \"nosuch\" is not supported",
              "unknown-method fault on %s: %s" % (service, f.faultString))
    names = proxy(service).system.listMethods()
    check("system.multicall" in names and "system.methodHelp" in names, "introspection on " + service)
try:
    resize.resize_image(xmlrpc.client.Binary(source), "x", 800, 600)
    check(False, "wrong arity must fault")
except xmlrpc.client.Fault as f:
    check("takes 5 arguments" in f.faultString, "arity fault: " + f.faultString)
try:
    flt.apply_filter(xmlrpc.client.Binary(base), "f", "BLUR", "high")
    check(False, "string intensity must fault")
except xmlrpc.client.Fault as f:
    check("intensity" in f.faultString and "double" in f.faultString, "type fault: " + f.faultString)
check(proxy("resize").system.listMethods()[:2] == ["get_thumbnail", "resize_image"], "resize port methods")
check("resize_image" in proxy("resize").system.methodHelp("resize_image") or
      len(proxy("resize").system.methodHelp("resize_image")) > 10, "methodHelp")

mc = xmlrpc.client.MultiCall(flt)
mc.apply_filter(xmlrpc.client.Binary(base), "m", "GRAYSCALE", 1.0)
mc.batch_filter(xmlrpc.client.Binary(base), "m", ["SEPIA"])
mc.nosuch()
results = mc()
first = results[0]
check(first["message"] == "Applied GRAYSCALE filter", "multicall first result")
check(results[1]["message"] == "Applied 1 filters", "multicall second result")
try:
    results[2]
    check(False, "multicall fault entry must raise")
except xmlrpc.client.Fault as f:
    check("not supported" in f.faultString, "multicall fault entry")
print("ok faults, introspection, multicall")

body = xmlrpc.client.dumps((xmlrpc.client.Binary(source), "g", 512), "get_thumbnail").encode("utf-8")
for path in ["/", "/RPC2"]:
    conn = http.client.HTTPConnection(HOST, PORTS["resize"], timeout=60)
    conn.request("POST", path, body, {"Content-Type": "text/xml", "Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    data = resp.read()
    check(resp.status == 200, "POST %s status %d" % (path, resp.status))
    # imgpipe.http.gzip-answers = remote (the default): a client on loopback gets the answer as is,
    # any other client gets it gzipped, as the original sent it.
    zipped = resp.getheader("Content-Encoding") == "gzip"
    check(zipped == (GZIP_ANSWERS == "on" or not LOOPBACK), "gzip answer on %s: %s" % (path, zipped))
    (answer,), _ = xmlrpc.client.loads(gzip.decompress(data) if zipped else data)
    check(answer["width"] == 512, "answer decodes")
    conn.close()
conn = http.client.HTTPConnection(HOST, PORTS["resize"], timeout=10)
conn.request("GET", "/")
check(conn.getresponse().status != 200, "GET / is not 200")
print("ok gzip and both paths")

print("ALL %d CHECKS PASSED" % checks)
