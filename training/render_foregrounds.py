"""Path-traced foregrounds with exact fractional alpha, rendered by Blender's Cycles.

Each render is one random object on a transparent film, so the film's alpha is the exact
ground truth of the picture's coverage: fur and hair (particle hair of random length,
density and colour), frosted or clear glass (transparent glass on the film), and any of
them moving (motion blur) or out of focus (depth of field). Written as straight-alpha RGBA
PNGs, one per seed, so an interrupted batch continues where it stopped.

    blender -b -noaudio --python training/render_foregrounds.py -- \\
        --out training/cache/renders --first 0 --count 200 --size 320 --samples 32

Debian's `blender` (3.4) package; not needed by vmatte itself.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
from pathlib import Path

import bpy  # noqa: E402  (inside Blender only)


def arguments() -> argparse.Namespace:
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--first", type=int, default=0, help="seed of the first render")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--samples", type=int, default=32, help="Cycles samples per pixel")
    ap.add_argument("--threads", type=int, default=2)
    return ap.parse_args(argv)


def empty_scene() -> bpy.types.Scene:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return bpy.context.scene


def principled(name: str, colour, roughness: float, transmission: float = 0.0) -> bpy.types.Material:
    material = bpy.data.materials.new(name)
    material.use_nodes = True
    bsdf = material.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*colour, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Transmission"].default_value = transmission
    return material


def hair_material(rng: random.Random) -> bpy.types.Material:
    material = bpy.data.materials.new("hair")
    material.use_nodes = True
    nodes = material.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    hair = nodes.new("ShaderNodeBsdfHairPrincipled")
    hair.parametrization = "MELANIN"
    hair.inputs["Melanin"].default_value = rng.uniform(0.05, 0.95)
    hair.inputs["Melanin Redness"].default_value = rng.uniform(0.0, 0.8)
    hair.inputs["Roughness"].default_value = rng.uniform(0.2, 0.5)
    material.node_tree.links.new(hair.outputs[0], nodes["Material Output"].inputs["Surface"])
    return material


def random_colour(rng: random.Random):
    return tuple(rng.uniform(0.05, 0.95) for _ in range(3))


def add_body(rng: random.Random) -> bpy.types.Object:
    kind = rng.choice(["sphere", "cube", "torus", "monkey"])
    if kind == "sphere":
        bpy.ops.mesh.primitive_uv_sphere_add(segments=48, ring_count=24, radius=1.0)
    elif kind == "cube":
        bpy.ops.mesh.primitive_cube_add(size=1.5)
        bpy.ops.object.modifier_add(type="BEVEL")
        bpy.context.object.modifiers["Bevel"].width = 0.2
        bpy.context.object.modifiers["Bevel"].segments = 4
    elif kind == "torus":
        bpy.ops.mesh.primitive_torus_add(major_radius=1.0, minor_radius=rng.uniform(0.2, 0.5))
    else:
        bpy.ops.mesh.primitive_monkey_add(size=1.8)
        bpy.ops.object.modifier_add(type="SUBSURF")
    body = bpy.context.object
    body.scale = tuple(rng.uniform(0.6, 1.3) for _ in range(3))
    body.rotation_euler = tuple(rng.uniform(0, 2 * math.pi) for _ in range(3))
    bpy.ops.object.shade_smooth()
    return body


def add_fur(body: bpy.types.Object, rng: random.Random) -> None:
    body.modifiers.new("fur", type="PARTICLE_SYSTEM")
    settings = body.particle_systems[0].settings
    settings.type = "HAIR"
    settings.count = rng.randint(2000, 6000)
    settings.hair_length = rng.uniform(0.3, 1.0)
    settings.child_type = "INTERPOLATED"
    settings.rendered_child_count = rng.randint(10, 40)
    settings.child_length = rng.uniform(0.6, 1.0)
    settings.clump_factor = rng.uniform(-0.2, 0.6)
    settings.roughness_1 = rng.uniform(0.0, 0.2)
    settings.roughness_endpoint = rng.uniform(0.0, 0.4)
    settings.kink = rng.choice(["NO", "NO", "CURL", "WAVE"])
    settings.kink_amplitude = rng.uniform(0.0, 0.1)
    settings.root_radius = 1.0
    settings.tip_radius = 0.0
    settings.radius_scale = rng.uniform(0.006, 0.02)
    settings.use_hair_bspline = True
    # Hair falls and flows instead of standing out along the normals.
    settings.effector_weights.gravity = 1.0
    body.data.materials.append(principled("skin", random_colour(rng), 0.6))
    body.data.materials.append(hair_material(rng))
    settings.material = 2


def add_glass(body: bpy.types.Object, rng: random.Random) -> None:
    material = bpy.data.materials.new("glass")
    material.use_nodes = True
    nodes = material.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    glass = nodes.new("ShaderNodeBsdfGlass")
    glass.inputs["Color"].default_value = (*[rng.uniform(0.7, 1.0) for _ in range(3)], 1.0)
    glass.inputs["Roughness"].default_value = rng.choice([0.0, 0.0, rng.uniform(0.05, 0.3)])
    glass.inputs["IOR"].default_value = rng.uniform(1.3, 1.6)
    material.node_tree.links.new(glass.outputs[0], nodes["Material Output"].inputs["Surface"])
    body.data.materials.append(material)


def light_and_camera(scene: bpy.types.Scene, rng: random.Random, size: int) -> bpy.types.Object:
    world = bpy.data.worlds.new("world")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = rng.uniform(0.3, 1.0)
    scene.world = world
    bpy.ops.object.light_add(type="SUN", rotation=(rng.uniform(0, 1.2), rng.uniform(-1, 1), rng.uniform(0, 6.3)))
    bpy.context.object.data.energy = rng.uniform(2, 6)
    distance = rng.uniform(5.0, 7.0)
    bpy.ops.object.camera_add(location=(0, -distance, 0), rotation=(math.pi / 2, 0, 0))
    camera = bpy.context.object
    camera.data.lens = rng.uniform(45, 70)
    scene.camera = camera
    scene.render.resolution_x = scene.render.resolution_y = size
    return camera


def render(seed: int, out: Path, size: int, samples: int, threads: int) -> None:
    rng = random.Random(seed)
    scene = empty_scene()
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = samples
    scene.cycles.use_denoising = False
    scene.render.threads_mode = "FIXED"
    scene.render.threads = threads
    scene.render.film_transparent = True
    scene.cycles.film_transparent_glass = True
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGBA"
    scene.render.image_settings.color_depth = "16"
    scene.view_settings.view_transform = "Standard"
    camera = light_and_camera(scene, rng, size)
    body = add_body(rng)
    kind = rng.choices(["fur", "glass"], weights=[3, 1])[0]
    (add_fur if kind == "fur" else add_glass)(body, rng)
    if rng.random() < 0.3:  # motion blur: the object moves during the shutter
        scene.render.use_motion_blur = True
        scene.render.motion_blur_shutter = 1.0
        scene.frame_set(1)
        body.keyframe_insert("location", frame=1)
        body.location = tuple(rng.uniform(-0.5, 0.5) for _ in range(3))
        body.keyframe_insert("location", frame=2)
        scene.frame_set(1)
    if rng.random() < 0.3:  # depth of field, focused in front of or behind the object
        camera.data.dof.use_dof = True
        camera.data.dof.focus_distance = abs(camera.location.y) + rng.uniform(-1.5, 1.5)
        camera.data.dof.aperture_fstop = rng.uniform(0.8, 2.8)
    partial = out / f"render-{seed:05d}.partial.png"
    scene.render.filepath = str(partial)
    bpy.ops.render.render(write_still=True)
    os.replace(partial, out / f"render-{seed:05d}.png")


def main() -> None:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.first, args.first + args.count):
        target = args.out / f"render-{seed:05d}.png"
        if target.exists():
            continue
        render(seed, args.out, args.size, args.samples, args.threads)
        print(f"rendered {target}", flush=True)


main()
