"""Why an upload was refused: raised by the processing code, worded by the views."""

import enum


class Refusal(enum.StrEnum):
    EMPTY = "empty"  # a file of 0 bytes
    UNSUPPORTED = "unsupported"  # not a JPEG, PNG, WebP, HEIC/HEIF, MP4, MOV or WebM by content
    DAMAGED = "damaged"  # claims to be one of those but cannot be decoded
    TOO_MANY_PIXELS = "too_many_pixels"  # decompression bomb guard
    TOO_BIG = "too_big"  # more bytes than UPLOAD_MAX_BYTES
    QUOTA = "quota"  # the plan's storage is full
    VIDEO_FAILED = "video_failed"  # ffmpeg could not prepare the video
    BUSY = "busy"  # this person has as many uploads in flight as they may: the next waits
    NO_SPACE = "no_space"  # the server's disk is full (the operator is told in the log)


class MediaRefused(Exception):
    """An upload that will not be stored; `reason` says why, `detail` is for the log only."""

    def __init__(self, reason: Refusal, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail
