#!/bin/sh
# Install TaperDesk's Linux bundle for the current user, so it shows up in the
# desktop's application menu with its icon. Nothing is written outside $HOME
# (or $XDG_DATA_HOME); no root needed.
#
#   sh install.sh                   install (or update) the bundle next to this script,
#                                   or packaging/dist/taperdesk when run from a checkout
#   sh install.sh --bundle DIR      install the bundle in DIR
#   sh install.sh --uninstall       remove everything install.sh put in place
#                                   (your TaperDesk data is never touched)
#
# Where things go:
#   bundle      ~/.local/opt/TaperDesk/           ($TAPERDESK_INSTALL_DIR to change)
#   launcher    ~/.local/share/applications/org.taperdesk.TaperDesk.desktop
#   icons       ~/.local/share/icons/hicolor/<size>/apps/org.taperdesk.TaperDesk.{png,svg}
#   metainfo    ~/.local/share/metainfo/org.taperdesk.TaperDesk.metainfo.xml
#   command     ~/.local/bin/taperdesk (a symbolic link, if ~/.local/bin has none of its own)
set -eu

APP_ID=org.taperdesk.TaperDesk
EXE_NAME=taperdesk
SIZES="16 24 32 48 64 128 256 512"

SCRIPT_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
INSTALL_DIR=${TAPERDESK_INSTALL_DIR:-$HOME/.local/opt/TaperDesk}
BIN_DIR=$HOME/.local/bin
APPS_DIR=$DATA_HOME/applications
ICONS_DIR=$DATA_HOME/icons/hicolor
METAINFO_DIR=$DATA_HOME/metainfo

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPS_DIR" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$ICONS_DIR/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$ICONS_DIR" 2>/dev/null || true
    fi
    # Icon themes without an index.theme of their own are looked up directly.
    touch "$ICONS_DIR" 2>/dev/null || true
}

uninstall() {
    rm -f "$APPS_DIR/$APP_ID.desktop" "$METAINFO_DIR/$APP_ID.metainfo.xml"
    for size in $SIZES; do
        rm -f "$ICONS_DIR/${size}x${size}/apps/$APP_ID.png"
    done
    rm -f "$ICONS_DIR/scalable/apps/$APP_ID.svg"
    if [ -L "$BIN_DIR/$EXE_NAME" ] \
        && [ "$(readlink "$BIN_DIR/$EXE_NAME")" = "$INSTALL_DIR/$EXE_NAME" ]; then
        rm -f "$BIN_DIR/$EXE_NAME"
    fi
    if [ -f "$INSTALL_DIR/$EXE_NAME" ]; then
        rm -rf "$INSTALL_DIR"
    fi
    refresh_caches
    say "TaperDesk removed. Your TaperDesk data (plans, diary, backups) was left in place."
}

BUNDLE=""
ACTION=install
while [ $# -gt 0 ]; do
    case $1 in
        --bundle) [ $# -ge 2 ] || fail "--bundle needs a folder"; BUNDLE=$2; shift 2 ;;
        --uninstall) ACTION=uninstall; shift ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) fail "unknown option: $1 (see --help)" ;;
    esac
done

if [ "$ACTION" = uninstall ]; then
    uninstall
    exit 0
fi

if [ -z "$BUNDLE" ]; then
    if [ -x "$SCRIPT_DIR/$EXE_NAME" ]; then
        BUNDLE=$SCRIPT_DIR                      # the copy inside a built bundle
    else
        BUNDLE=$SCRIPT_DIR/../dist/$EXE_NAME    # packaging/linux in a checkout
    fi
fi
[ -x "$BUNDLE/$EXE_NAME" ] || fail "no TaperDesk bundle in $BUNDLE (build it: python packaging/build.py)"
BUNDLE=$(CDPATH= cd -- "$BUNDLE" && pwd)

case $INSTALL_DIR in
    *[\"\`\$\\%\&\|]*)
        fail "cannot install into a folder whose name has one of \" \` \$ \\ % & |: $INSTALL_DIR" ;;
esac

# Desktop files and metadata: beside this script (checkout or bundle copy).
for file in "$APP_ID.desktop" "$APP_ID.metainfo.xml"; do
    [ -f "$SCRIPT_DIR/$file" ] || fail "missing $SCRIPT_DIR/$file"
done
ICON_SOURCE=$BUNDLE/_internal/taperdesk/resources/icons
[ -f "$ICON_SOURCE/taperdesk.svg" ] || fail "the bundle has no icons in $ICON_SOURCE"

# The bundle: copied into a fresh folder, then swapped in, so an update never
# leaves a half-copied app behind.
if [ "$BUNDLE" != "$INSTALL_DIR" ]; then
    mkdir -p "$(dirname -- "$INSTALL_DIR")"
    STAGING=$INSTALL_DIR.new.$$
    rm -rf "$STAGING"
    cp -R "$BUNDLE" "$STAGING"
    rm -rf "$INSTALL_DIR"
    mv "$STAGING" "$INSTALL_DIR"
fi
EXE=$INSTALL_DIR/$EXE_NAME

# The launcher, pointing at the installed executable (quoted if the path has spaces).
case $EXE in
    *" "*) EXEC_VALUE="\"$EXE\"" ;;
    *) EXEC_VALUE=$EXE ;;
esac
mkdir -p "$APPS_DIR"
sed -e "s|^Exec=.*|Exec=$EXEC_VALUE|" -e "s|^TryExec=.*|TryExec=$EXE|" \
    "$SCRIPT_DIR/$APP_ID.desktop" > "$APPS_DIR/$APP_ID.desktop.tmp"
mv "$APPS_DIR/$APP_ID.desktop.tmp" "$APPS_DIR/$APP_ID.desktop"
chmod 0644 "$APPS_DIR/$APP_ID.desktop"

for size in $SIZES; do
    mkdir -p "$ICONS_DIR/${size}x${size}/apps"
    cp "$ICON_SOURCE/taperdesk-$size.png" "$ICONS_DIR/${size}x${size}/apps/$APP_ID.png"
done
mkdir -p "$ICONS_DIR/scalable/apps"
cp "$ICON_SOURCE/taperdesk.svg" "$ICONS_DIR/scalable/apps/$APP_ID.svg"

mkdir -p "$METAINFO_DIR"
cp "$SCRIPT_DIR/$APP_ID.metainfo.xml" "$METAINFO_DIR/$APP_ID.metainfo.xml"

# A command-line name too, unless something else already has it.
mkdir -p "$BIN_DIR"
if { [ ! -e "$BIN_DIR/$EXE_NAME" ] && [ ! -L "$BIN_DIR/$EXE_NAME" ]; } \
    || [ "$(readlink "$BIN_DIR/$EXE_NAME" 2>/dev/null)" = "$EXE" ]; then
    ln -sfn "$EXE" "$BIN_DIR/$EXE_NAME"
fi

refresh_caches
say "TaperDesk installed in $INSTALL_DIR."
say "Start it from your application menu (it may take a moment to appear), or run: $EXE"
say "To remove it: sh \"$INSTALL_DIR/install.sh\" --uninstall"
