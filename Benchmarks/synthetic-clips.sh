# Sourced by the benchmarks that score videos: the synthetic clips with exact alpha that
# scripts/make_sample.py makes from alphamatting subjects (needs ../shared/data).
# synthetic_clips FOLDER: makes the missing ones under FOLDER, then prints "path|subject" per clip.
synthetic_clip_recipes=(
  "gt02-static|GT02|--background lomiri_aitzgorri_by_Aitzol_Berasategi.jpg --pan 0,0 --drift 80"
  "gt17-pan|GT17|--background mate_Garden.jpg --pan 90,15 --drift 40"
  "gt25-fast|GT25|--background plasma_ColorfulCups.jpg --pan=-48,0 --drift 70 --drift-periods 2"
)

synthetic_clips() {
  local folder=$1 entry name subject options
  for entry in "${synthetic_clip_recipes[@]}"; do
    IFS='|' read -r name subject options <<< "$entry"
    if [ ! -f "$folder/$name/gt-alpha.mkv" ]; then
      # shellcheck disable=SC2086
      /usr/bin/python3 scripts/make_sample.py --out "$folder/$name" --subject "$subject" $options --no-audio >/dev/null
    fi
    echo "$folder/$name|$subject"
  done
}
