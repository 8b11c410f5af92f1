"""Benchmark the photo pipeline on a 12-megapixel phone photo: time per photo and memory.

`run()` generates a 4032x3024 JPEG like a phone's (noisy content, quality 92, EXIF with
Orientation=6 and a GPS position), then processes it 7 times in a child process and returns
the median time and the peak resident memory growth. Run this file to print the figures as
`name=value` lines; `bench/run.py` is meant to call `run()`.

Memory is measured in a child process, because the parent holds the generated 12-megapixel
image: the child reads its resident high-water mark (VmHWM in /proc/self/status, so Linux
only) once the pipeline is imported, processes the photo, and reports how far the mark rose.
Not getrusage's ru_maxrss: Linux carries the parent's peak across fork and exec into it, so
the child's baseline would already be the parent's 100+ MB. Not tracemalloc: it misses the
pixel buffers, which Pillow allocates in C.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageChops

from procfs import peak_rss_kb
from report import figures

RUNS = 7
SIZE = (4032, 3024)


def make_phone_photo(path: Path) -> None:
    """Write a 12-megapixel JPEG with noise, Orientation=6 and a GPS position in its EXIF."""
    width, height = SIZE
    # Gradients give the smooth areas of a photo, the noise its sensor grain and detail.
    across = Image.linear_gradient("L").resize(SIZE)
    around = Image.radial_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 40)
    bands = [
        ImageChops.add(across, noise, 1.0, -60),
        ImageChops.add(around, Image.effect_noise(SIZE, 30), 1.0, -50),
        ImageChops.add(across.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 1.0, -60),
    ]
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 5.0, 30.1)
    Image.merge("RGB", bands).save(path, quality=92, exif=exif.tobytes())


def measure(photo: Path, workdir: Path) -> dict:
    """Process the photo RUNS times in this process; return the times and the memory growth."""
    from toekomstplan.media.images import process_photo

    baseline_kb = peak_rss_kb()
    times_ms = []
    for _ in range(RUNS):
        start = time.perf_counter()
        process_photo(photo, workdir)
        times_ms.append((time.perf_counter() - start) * 1000)
    peak_kb = peak_rss_kb()
    return {"times_ms": times_ms, "rss_growth_mb": (peak_kb - baseline_kb) / 1024}


def run() -> dict:
    """Generate the photo, measure it in a child process and return the figures."""
    with tempfile.TemporaryDirectory(prefix="toekomstplan-photos-") as tmp:
        photo = Path(tmp) / "phone.jpg"
        make_phone_photo(photo)
        workdir = Path(tmp) / "out"
        workdir.mkdir()
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(photo), str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        )
    result = json.loads(child.stdout)
    return {
        "photo_ms_median": round(statistics.median(result["times_ms"]), 1),
        "photo_peak_rss_mb": round(result["rss_growth_mb"], 1),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        figures(run())
