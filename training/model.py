"""The Deep Image Matting network (Xu et al., CVPR 2017), the one definition.

Everything else (training, export, golden tensors, FLOP counting) builds the
network through this module, so its structure, its parameter names and the
input preparation live in exactly one place.

Differences to the paper, all deliberate (we train from scratch on a CPU):
  * every encoder/decoder conv is followed by BatchNorm (no pretrained VGG-16
    exists here, BN makes from-scratch training stable); convs followed by BN
    carry no bias;
  * widths are parameters: encoder w*(1, 2, 4, 8, 8), decoder 8w, 8w, 4w, 2w,
    w, w (paper: w = 64); refinement width r (paper: 64);
  * the raw-alpha head ends in a sigmoid instead of the paper's clip: with a
    clip, pixels predicted outside [0, 1] get no gradient, which stalls early
    from-scratch training; the sigmoid keeps gradients alive everywhere and
    maps straight onto the valid range;
  * the refinement's last conv starts at zero, so at the start of stage 2 the
    refined alpha equals the raw alpha;
  * optionally (``closed_form_input``, format version 2) the network is fused with
    closed-form matting: the closed-form matte of the image is a fifth input plane
    and the raw alpha is clamp(closed_form + alpha_pred, 0, 1), a correction of
    closed-form's answer (alpha_pred starts at zero, so a fresh network is
    closed-form matting);
  * and optionally without the encoder-decoder (``encoder_decoder=False``, format
    version 3, a closed-form refinement): the raw alpha is the closed-form matte
    itself and the refinement alone corrects it.

Parameter names (= tensor names in the exported safetensors file) are listed
in MODEL_FORMAT.md.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------------------
# Input preparation (the exporter copies these constants into the metadata)
# ---------------------------------------------------------------------------

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
TRIMAP_BG, TRIMAP_UNKNOWN, TRIMAP_FG = 0.0, 0.5, 1.0
PAD_MULTIPLE = 32
BN_EPS = 1e-5  # PyTorch's BatchNorm2d default, used by every BN layer here


def normalize_rgb(rgb: torch.Tensor) -> torch.Tensor:
    """RGB in 0..1, shape (N, 3, H, W) -> ImageNet-normalised RGB."""
    mean = rgb.new_tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = rgb.new_tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (rgb - mean) / std


def encode_trimap(trimap: torch.Tensor) -> torch.Tensor:
    """Trimap in 0..1 (0 = bg, 0.5 = unknown, 1 = fg), e.g. a 0/128/255 PNG
    divided by 255, -> exactly 0 / 0.5 / 1.  Values are snapped: < 0.25 is bg,
    > 0.75 is fg, everything between is unknown."""
    out = torch.full_like(trimap, TRIMAP_UNKNOWN)
    out = torch.where(trimap < 0.25, torch.full_like(trimap, TRIMAP_BG), out)
    out = torch.where(trimap > 0.75, torch.full_like(trimap, TRIMAP_FG), out)
    return out


def prepare_input(rgb: torch.Tensor, trimap: torch.Tensor,
                  closed_form: torch.Tensor | None = None, knn: torch.Tensor | None = None) -> torch.Tensor:
    """The network input: (N, 4, H, W) = normalised RGB ++ trimap (0/0.5/1),
    ++ the closed-form matte (0..1) for a fused network: (N, 5, H, W),
    ++ the KNN matte (0..1) for a refinement that reads it: (N, 6, H, W).

    rgb: (N, 3, H, W) in 0..1; trimap, closed_form: (N, 1, H, W) in 0..1.
    H and W must be multiples of PAD_MULTIPLE (see inference.pad_to_multiple).
    """
    planes = [normalize_rgb(rgb), encode_trimap(trimap)]
    if closed_form is not None:
        planes.append(closed_form)
    if knn is not None:
        planes.append(knn)
    return torch.cat(planes, dim=1)


CLOSED_FORM_SPEC = ("pymatting 1.1 estimate_alpha_cf(rgb as float64 0..1, snapped trimap) with its "
                    "defaults (matting Laplacian epsilon 1e-7, 3x3 windows, ichol-preconditioned CG), "
                    "clipped to 0..1, known pixels = the snapped trimap's 0 / 1; computed on the "
                    "unpadded image, then padded like the trimap")


KNN_SPEC = ("training/knn_matting.py knn_matte(rgb as float64 0..1, snapped trimap): KNN matting on the "
            "unknown band, passes (k, spatial weight) (20, 2) and (10, 0.1), Jacobi-preconditioned CG from 0.5 "
            "to a relative residual of 1e-4, clipped to 0..1, known pixels = the snapped trimap's 0 / 1")


def input_spec(closed_form_input: bool = False, knn_input: bool = False) -> dict:
    """Machine-readable description of prepare_input (goes into metadata)."""
    extra = {"closed_form": CLOSED_FORM_SPEC, "closed_form_transform": "none (0..1 as is)"} \
        if closed_form_input else {}
    if knn_input:
        extra["knn"] = KNN_SPEC
    channels = "R, G, B, trimap" + (", closed_form" if closed_form_input else "") + (", knn" if knn_input else "")
    return {
        "layout": f"NCHW, channels = [{channels}]",
        "rgb_range": "0..1 (8-bit value / 255)",
        "mean": list(IMAGENET_MEAN),
        "std": list(IMAGENET_STD),
        "rgb_transform": "(rgb - mean) / std per channel",
        "trimap_encoding": {"background": TRIMAP_BG, "unknown": TRIMAP_UNKNOWN,
                            "foreground": TRIMAP_FG},
        "trimap_snap": "t = trimap/255; t < 0.25 -> 0, t > 0.75 -> 1, else 0.5",
        "pad_multiple": PAD_MULTIPLE,
        "pad_mode": "reflect (mirror without repeating the edge), bottom and right only",
        "refine_input": "normalised RGB (same as above) ++ raw alpha in 0..1" + (" ++ knn" if knn_input else ""),
        **extra,
    }


# ---------------------------------------------------------------------------
# Architecture
# ---------------------------------------------------------------------------

ENCODER_CONVS_PER_BLOCK = (2, 2, 3, 3, 3)
ENCODER_WIDTH_FACTORS = (1, 2, 4, 8, 8)
DECODER_WIDTH_FACTORS = (8, 4, 2, 1, 1)  # deconv5 .. deconv1
DECODER_KERNEL = 5
ALPHA_KERNEL = 5
REFINE_KERNEL = 3


@dataclass(frozen=True)
class DIMConfig:
    width: int = 16          # w: paper 64
    refine_width: int = 32   # r: paper 64
    fc6_kind: str = "1x1"    # "1x1" or "7x7" (padding 3)
    closed_form_input: bool = False  # fused with closed-form matting (format version 2)
    refine_layers: int = 3   # 3x3 conv + ReLU layers of the refinement before its output conv
    encoder_decoder: bool = True  # False: a closed-form refinement (format version 3)
    knn_input: bool = False  # the refinement also reads a KNN matte (format version 4)

    def __post_init__(self):
        if not self.encoder_decoder and not self.closed_form_input:
            raise ValueError("a network without an encoder-decoder refines a closed-form matte (closed_form_input)")
        if self.knn_input and self.encoder_decoder:
            raise ValueError("a KNN matte is read by a closed-form refinement (encoder_decoder=False)")

    @property
    def version(self) -> str:
        """The exported file's format version."""
        if self.knn_input:
            return "4"
        return "3" if not self.encoder_decoder else "2" if self.closed_form_input else "1"

    @property
    def in_channels(self) -> int:
        return 4 + int(self.closed_form_input) + int(self.knn_input)

    @property
    def refine_in_channels(self) -> int:
        return 5 if self.knn_input else 4

    @property
    def inputs(self) -> str:
        return "rgb,trimap" + (",closed_form" if self.closed_form_input else "") + (",knn" if self.knn_input else "")

    @property
    def encoder_widths(self) -> list[int]:
        return [self.width * f for f in ENCODER_WIDTH_FACTORS]

    @property
    def decoder_widths(self) -> list[int]:
        return [self.width * f for f in DECODER_WIDTH_FACTORS]

    @property
    def fc6_kernel(self) -> int:
        return {"1x1": 1, "7x7": 7}[self.fc6_kind]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "DIMConfig":
        """Inverse of to_dict; also reads checkpoints that stored in_channels instead."""
        d = dict(d)
        channels = d.pop("in_channels", 4)
        d.setdefault("closed_form_input", channels == 5)
        return cls(**d)

    def architecture(self) -> dict:
        """Widths per layer, kernels etc. (goes into the exported metadata)."""
        if not self.encoder_decoder:
            return {"name": "closed-form-knn-refinement" if self.knn_input else "closed-form-refinement", "inputs": self.inputs, "in_channels": self.in_channels,
                    "alpha_head": "closed_form", "alpha_activation": "none",
                    "raw_alpha": "clamp(x[4], 0, 1)", "refine_width": self.refine_width,
                    "refine_kernel": REFINE_KERNEL, "refine_layers": self.refine_layers,
                    "refine_input": "normalised RGB, raw alpha" + (", x[5] (knn)" if self.knn_input else ""),
                    "refine_output": "clamp(raw_alpha + refine_pred, 0, 1)", "bn_eps": BN_EPS,
                    "conv_bias": "present on every refine*",
                    "layers": {"refine": self._refine_layers()}}
        enc = []
        c_in = self.in_channels
        for b, (n, c) in enumerate(zip(ENCODER_CONVS_PER_BLOCK, self.encoder_widths), 1):
            for i in range(1, n + 1):
                enc.append({"name": f"conv{b}_{i}", "in": c_in, "out": c, "kernel": 3,
                            "padding": 1, "bn": True, "act": "relu"})
                c_in = c
            enc.append({"name": f"pool{b}", "kind": "maxpool2x2_stride2_with_indices"})
        k6 = self.fc6_kernel
        enc.append({"name": "fc6", "in": c_in, "out": self.encoder_widths[-1], "kernel": k6,
                    "padding": k6 // 2, "bn": True, "act": "relu"})
        dec = [{"name": "deconv6", "in": self.encoder_widths[-1], "out": self.encoder_widths[-1],
                "kernel": 1, "padding": 0, "bn": True, "act": "relu"}]
        c_in = self.encoder_widths[-1]
        for b, c in zip(range(5, 0, -1), self.decoder_widths):
            dec.append({"name": f"unpool{b}", "kind": "maxunpool2x2_with_indices_of",
                        "indices_of": f"pool{b}"})
            dec.append({"name": f"deconv{b}", "in": c_in, "out": c, "kernel": DECODER_KERNEL,
                        "padding": DECODER_KERNEL // 2, "bn": True, "act": "relu"})
            c_in = c
        dec.append({"name": "alpha_pred", "in": c_in, "out": 1, "kernel": ALPHA_KERNEL,
                    "padding": ALPHA_KERNEL // 2, "bn": False,
                    "act": "none" if self.closed_form_input else "sigmoid"})
        ref = self._refine_layers()
        head = {"inputs": self.inputs, "in_channels": self.in_channels,
                "alpha_head": "closed_form_residual", "alpha_activation": "none",
                "raw_alpha": "clamp(x[4] + alpha_pred, 0, 1)"} if self.closed_form_input else {}
        arch = {
            "name": "deep-image-matting",
            "width": self.width,
            "encoder_widths": self.encoder_widths,
            "encoder_convs_per_block": list(ENCODER_CONVS_PER_BLOCK),
            "decoder_widths": self.decoder_widths,
            "fc6_kind": self.fc6_kind,
            "fc6_kernel": k6,
            "encoder_kernel": 3,
            "decoder_kernel": DECODER_KERNEL,
            "alpha_kernel": ALPHA_KERNEL,
            "refine_width": self.refine_width,
            "refine_kernel": REFINE_KERNEL,
            "refine_layers": self.refine_layers,
            "alpha_activation": "sigmoid",
            "refine_output": "clamp(raw_alpha + refine_pred, 0, 1)",
            "bn_eps": BN_EPS,
            "conv_bias": "absent on convs followed by BN; present on alpha_pred and refine*",
            "layers": {"encoder": enc, "decoder": dec, "refine": ref},
        }
        arch.update(head)
        return arch

    def _refine_layers(self) -> list[dict]:
        ref = []
        c_in = self.refine_in_channels
        for i in range(1, self.refine_layers + 1):
            ref.append({"name": f"refine{i}", "in": c_in, "out": self.refine_width,
                        "kernel": REFINE_KERNEL, "padding": REFINE_KERNEL // 2, "bn": False,
                        "act": "relu"})
            c_in = self.refine_width
        ref.append({"name": "refine_pred", "in": c_in, "out": 1, "kernel": REFINE_KERNEL,
                    "padding": REFINE_KERNEL // 2, "bn": False, "act": "none",
                    "then": "add raw alpha, clamp to [0, 1]"})
        return ref

    def architecture_json(self) -> str:
        return json.dumps(self.architecture(), separators=(",", ":"))


class ConvBNReLU(nn.Sequential):
    """conv (no bias) -> BatchNorm -> ReLU.  Parameters: NAME.conv.weight,
    NAME.bn.{weight,bias,running_mean,running_var}."""

    def __init__(self, c_in: int, c_out: int, kernel: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(c_out, eps=BN_EPS)
        self.relu = nn.ReLU(inplace=True)


class DIMNet(nn.Module):
    """Encoder-decoder (stage 1, absent from a closed-form refinement) + refinement (stage 2).

    forward(x) with x = prepare_input(rgb, trimap), H, W multiples of 32, returns
    (raw_alpha, refined_alpha), both (N, 1, H, W) in [0, 1].  With stages=True
    a third value, an ordered dict of intermediate tensors, is returned too.
    """

    def __init__(self, config: DIMConfig = DIMConfig()):
        super().__init__()
        self.config = config
        self.encoder_layers: list[list[str]] = []
        if config.encoder_decoder:
            self._build_encoder_decoder()

        # Refinement: RGB (normalised) ++ raw alpha (++ the KNN matte).
        r = config.refine_width
        self.refine_names = [f"refine{i}" for i in range(1, config.refine_layers + 1)]
        for i, name in enumerate(self.refine_names):
            self.add_module(name, nn.Conv2d(config.refine_in_channels if i == 0 else r, r, REFINE_KERNEL, padding=REFINE_KERNEL // 2))
        self.refine_pred = nn.Conv2d(r, 1, REFINE_KERNEL, padding=REFINE_KERNEL // 2)

        self.reset_parameters()

    def _build_encoder_decoder(self) -> None:
        config = self.config
        enc_w, dec_w = config.encoder_widths, config.decoder_widths
        # Encoder: conv{b}_{i} for block b = 1..5, then fc6.
        c_in = config.in_channels
        for b, (n, c) in enumerate(zip(ENCODER_CONVS_PER_BLOCK, enc_w), 1):
            names = []
            for i in range(1, n + 1):
                name = f"conv{b}_{i}"
                self.add_module(name, ConvBNReLU(c_in, c, 3))
                names.append(name)
                c_in = c
            self.encoder_layers.append(names)
        self.fc6 = ConvBNReLU(c_in, enc_w[-1], config.fc6_kernel)

        # Decoder: deconv6 (1x1), then unpool{b} + deconv{b} (5x5) for b = 5..1.
        self.deconv6 = ConvBNReLU(enc_w[-1], enc_w[-1], 1)
        c_in = enc_w[-1]
        for b, c in zip(range(5, 0, -1), dec_w):
            self.add_module(f"deconv{b}", ConvBNReLU(c_in, c, DECODER_KERNEL))
            c_in = c
        self.alpha_pred = nn.Conv2d(c_in, 1, ALPHA_KERNEL, padding=ALPHA_KERNEL // 2)

    # -- parameter groups ----------------------------------------------------

    def encoder_decoder_modules(self) -> list[nn.Module]:
        if not self.config.encoder_decoder:
            return []
        mods = [getattr(self, n) for names in self.encoder_layers for n in names]
        mods += [self.fc6, self.deconv6]
        mods += [getattr(self, f"deconv{b}") for b in range(5, 0, -1)]
        mods.append(self.alpha_pred)
        return mods

    def refine_modules(self) -> list[nn.Module]:
        return [getattr(self, n) for n in self.refine_names] + [self.refine_pred]

    def reset_parameters(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        if self.config.encoder_decoder:
            nn.init.xavier_uniform_(self.alpha_pred.weight)
            if self.config.closed_form_input:  # start as closed-form matting
                nn.init.zeros_(self.alpha_pred.weight)
        nn.init.zeros_(self.refine_pred.weight)
        nn.init.zeros_(self.refine_pred.bias)

    # -- forward ---------------------------------------------------------------

    def encode_decode(self, x: torch.Tensor, stages: dict | None = None) -> torch.Tensor:
        assert x.shape[-2] % PAD_MULTIPLE == 0 and x.shape[-1] % PAD_MULTIPLE == 0, \
            f"spatial size {tuple(x.shape[-2:])} is not a multiple of {PAD_MULTIPLE}"
        if not self.config.encoder_decoder:
            return x[:, 4:5].clamp(0.0, 1.0)
        pools = []  # (indices, pre-pool size) per block
        h = x
        for b, names in enumerate(self.encoder_layers, 1):
            for name in names:
                h = getattr(self, name)(h)
            if stages is not None:
                stages[f"enc{b}"] = h          # last conv of the block, before pooling
            size = h.shape[-2:]
            h, idx = F.max_pool2d(h, 2, 2, return_indices=True)
            pools.append((idx, size))
            if stages is not None:
                stages[f"pool{b}"] = h
        h = self.fc6(h)
        if stages is not None:
            stages["fc6"] = h
        h = self.deconv6(h)
        if stages is not None:
            stages["deconv6"] = h
        for b in range(5, 0, -1):
            idx, size = pools[b - 1]
            h = F.max_unpool2d(h, idx, 2, 2, output_size=size)
            h = getattr(self, f"deconv{b}")(h)
            if stages is not None:
                stages[f"deconv{b}"] = h
        logits = self.alpha_pred(h)
        if not self.config.closed_form_input:
            if stages is not None:
                stages["alpha_logits"] = logits
            return torch.sigmoid(logits)
        if stages is not None:
            stages["alpha_residual"] = logits
        corrected = x[:, 4:5] + logits
        # forward: the clamp; backward: as if unclamped, so a pixel pushed past 0 or 1
        # still learns its way back (a plain clamp gives it no gradient)
        return corrected + (corrected.clamp(0.0, 1.0) - corrected).detach()

    def refine(self, x: torch.Tensor, raw_alpha: torch.Tensor,
               stages: dict | None = None) -> torch.Tensor:
        h = torch.cat([x[:, :3], raw_alpha] + ([x[:, 5:6]] if self.config.knn_input else []), dim=1)
        for name in self.refine_names:
            h = F.relu(getattr(self, name)(h))
        residual = self.refine_pred(h)
        if stages is not None:
            stages["refine_residual"] = residual
        return torch.clamp(raw_alpha + residual, 0.0, 1.0)

    def forward(self, x: torch.Tensor, stages: bool = False, refine: bool = True):
        st = {} if stages else None
        raw = self.encode_decode(x, st)
        refined = self.refine(x, raw, st) if refine else raw
        if stages:
            st["raw_alpha"] = raw
            st["refined_alpha"] = refined
            return raw, refined, st
        return raw, refined


def build_model(width: int = 16, refine_width: int = 32, fc6_kind: str = "1x1",
                closed_form_input: bool = False, encoder_decoder: bool = True) -> DIMNet:
    return DIMNet(DIMConfig(width, refine_width, fc6_kind, closed_form_input, encoder_decoder=encoder_decoder))


def with_knn_input(model: DIMNet) -> DIMNet:
    """A closed-form refinement that reads the KNN matte too, its weights on it zero: the
    same network, in the shape of one that reads it (format version 4)."""
    if model.config.knn_input:
        return model
    lifted = DIMNet(dataclasses.replace(model.config, knn_input=True))
    state = dict(model.state_dict())
    weight = state["refine1.weight"]
    state["refine1.weight"] = torch.cat([weight, torch.zeros_like(weight[:, :1])], dim=1)
    lifted.load_state_dict(state)
    return lifted.eval()

