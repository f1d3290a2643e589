[#
  nhandao's installer: a pynsist template (Jinja2 with pynsist's square-bracket delimiters;
  `ib` is pynsist's InstallerBuilder). It replaces pynsist's pyapp.nsi, which uses
  MultiUser.nsh and asks for the highest rights it can get. This one installs for the current
  user only, never asks for administrator rights, and never touches the program's store:

  - RequestExecutionLevel user; the program goes to $LOCALAPPDATA\Programs\nhandao;
  - the store (the office's data) is $LOCALAPPDATA\nhandao, the program's default
    (platformdirs.user_data_dir("nhandao", appauthor=False), see store/store.py). The
    installer writes nothing there and the uninstaller deletes only what the installer
    wrote, each path under $INSTDIR or the Start menu; build.py checks this in the .nsi;
  - one Start-menu shortcut opens the interface in a console, with Python's UTF-8 mode
    (-X utf8: the same as PYTHONUTF8=1, and honoured by an embedded Python, which ignores
    environment variables because of its ._pth file);
  - the command `nhandao` ($INSTDIR\bin, added to the user's PATH) for a console.
  Texts that the user reads are in Vietnamese.
#]
!define PRODUCT_NAME "[[ib.appname]]"
!define PRODUCT_VERSION "[[ib.version]]"
!define PY_VERSION "[[ib.py_version]]"
!define INSTALLER_NAME "[[ib.installer_name]]"
!define PRODUCT_ICON "[[icon]]"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${PRODUCT_NAME}"
; The store: shown to the user, refused as an install folder, never written or deleted.
!define STORE_DIR "$LOCALAPPDATA\nhandao"

; A 64-bit installer for a 64-bit program: on 32-bit Windows, which the wheels do not serve,
; it does not start at all; and Wine's 64-bit-only wine64 runs it (wine_smoke.sh does).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

Name "${PRODUCT_NAME} ${PRODUCT_VERSION}"
OutFile "${INSTALLER_NAME}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "${PRODUCT_NAME} ${PRODUCT_VERSION} (Python ${PY_VERSION})"

[% block modernui %]
!include "MUI2.nsh"
!define MUI_ABORTWARNING
!define MUI_ICON "[[icon]]"
!define MUI_UNICON "[[icon]]"

!define MUI_WELCOMEPAGE_TITLE "Cài đặt ${PRODUCT_NAME} ${PRODUCT_VERSION}"
!define MUI_WELCOMEPAGE_TEXT "Chương trình theo dõi cuộc vận động «Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo».$\r$\n$\r$\nChương trình được cài cho riêng người dùng này, không cần quyền quản trị, không cần mạng, đã kèm sẵn Python ${PY_VERSION}.$\r$\n$\r$\nDữ liệu (kho) nằm ở ${STORE_DIR}. Cài đặt, cài lại hay gỡ chương trình đều không xoá dữ liệu này.$\r$\n$\r$\nCần Windows 10 (bản 1903 trở lên) hoặc Windows 11, 64-bit."
!insertmacro MUI_PAGE_WELCOME
[% if license_file %]
!insertmacro MUI_PAGE_LICENSE [[license_file]]
[% endif %]
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "Đã cài xong ${PRODUCT_NAME}"
!define MUI_FINISHPAGE_TEXT "Mở chương trình từ menu Start: «${PRODUCT_NAME}».$\r$\n$\r$\nTrong cửa sổ dòng lệnh mới mở (nên dùng Windows Terminal), lệnh «nhandao» cũng dùng được; lần đầu, tạo kho cho đơn vị của mình bằng:$\r$\n    nhandao init --unit MÃ_ĐƠN_VỊ$\r$\n$\r$\nDữ liệu nằm ở ${STORE_DIR}."
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "Gỡ chương trình ${PRODUCT_NAME} khỏi máy. Dữ liệu (kho) ở ${STORE_DIR} được giữ nguyên, không bị xoá."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
[% endblock modernui %]

[% block sections %]
Section "!${PRODUCT_NAME}" sec_app
  SectionIn RO
  SetShellVarContext current
  ; An upgrade replaces the program's folders whole: modules of the old version would stay.
  RMDir /r "$INSTDIR\pkgs"
  RMDir /r "$INSTDIR\Python"
  RMDir /r "$INSTDIR\bin"

  SetOutPath "$INSTDIR"
  File "${PRODUCT_ICON}"
  SetOutPath "$INSTDIR\pkgs"
  File /r "pkgs\*.*"

  ; Files and folders that pynsist prepared (launch script, Python, bin, _system_path.py)
  [% for destination, group in grouped_files %]
  SetOutPath "[[destination]]"
    [% for file in group %]
  File "[[ file ]]"
    [% endfor %]
  [% endfor %]
  [% for dir, destination in ib.install_dirs %]
  SetOutPath "[[ pjoin(destination, dir) ]]"
  File /r "[[dir]]\*.*"
  [% endfor %]

  ; Start-menu shortcut: the interface in a console, in the user's home folder.
  SetOutPath "$PROFILE"
  [% for scname, sc in ib.shortcuts.items() %]
  CreateShortCut "$SMPROGRAMS\[[scname]].lnk" "[[ sc['target'] ]]" \
    '-X utf8 [[ sc['parameters'] ]]' "$INSTDIR\[[ sc['icon'] ]]" 0 SW_SHOWNORMAL "" \
    "Sổ theo dõi địa chỉ nhân đạo"
  [% endfor %]
  SetOutPath "$INSTDIR"

  [% if has_commands %]
  DetailPrint "Thêm lệnh nhandao vào PATH của người dùng…"
  nsExec::ExecToLog '[[ python ]] -Es -W ignore::SyntaxWarning "$INSTDIR\_system_path.py" add_user "$INSTDIR\bin"'
  [% endif %]

  DetailPrint "Biên dịch trước các mô-đun Python…"
  nsExec::ExecToLog '[[ python ]] -m compileall -q "$INSTDIR\pkgs"'

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${PRODUCT_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_ICON}"
  [% if ib.publisher is not none %]
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "[[ib.publisher]]"
  [% endif %]
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  DetailPrint "Dữ liệu (kho) ở ${STORE_DIR} không bị thay đổi."
SectionEnd

; The uninstaller deletes what the installer wrote, path by path, each under $INSTDIR or the
; Start menu, and $INSTDIR itself only if it is then empty (RMDir without /r). The store,
; ${STORE_DIR}, is kept.
Section "Uninstall"
  SetShellVarContext current
  [% if has_commands %]
  nsExec::ExecToLog '[[ python ]] -Es -W ignore::SyntaxWarning "$INSTDIR\_system_path.py" remove_user "$INSTDIR\bin"'
  [% endif %]
  [% for scname in ib.shortcuts %]
  Delete "$SMPROGRAMS\[[scname]].lnk"
  [% endfor %]
  RMDir /r "$INSTDIR\pkgs"
  [% for file, destination in ib.install_files %]
  Delete "[[ pjoin(destination, file) ]]"
  [% endfor %]
  [% for dir, destination in ib.install_dirs %]
  RMDir /r "[[ pjoin(destination, dir) ]]"
  [% endfor %]
  Delete "$INSTDIR\${PRODUCT_ICON}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DetailPrint "Đã gỡ chương trình. Dữ liệu (kho) ở ${STORE_DIR} được giữ nguyên."
SectionEnd
[% endblock sections %]

; Never install into the store, nor into any folder that holds a store (office.json).
Function .onVerifyInstDir
  StrCmp "$INSTDIR" "${STORE_DIR}" refuse
  IfFileExists "$INSTDIR\office.json" refuse
  Return
  refuse:
    Abort
FunctionEnd

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd
