@echo off
rem Offline installer of nhandao for a PC that already has Python 3.10-3.13, 64-bit.
rem build.py copies this file into nhandao-kit\ with CRLF line endings, beside wheels\.
rem
rem What it does, for the current user only (no administrator rights, no network):
rem   1. finds Python: the py launcher, newest first (py -3.13-64 ... py -3.10-64), else
rem      "python" on PATH; each candidate must be 3.10-3.13 and 64-bit (the kit's wheels
rem      are win_amd64 for those four versions only);
rem   2. makes a fresh virtual environment in %LOCALAPPDATA%\Programs\nhandao-kit\venv.
rem      Not under %LOCALAPPDATA%\nhandao: that folder is the program's store (its data,
rem      platformdirs.user_data_dir("nhandao")), which this script never touches;
rem   3. pip install --no-index --find-links "%~dp0wheels" nhandao;
rem   4. copies the launcher nhandao.bat to %LOCALAPPDATA%\Programs\nhandao-kit\ (for a
rem      console: it passes its arguments on) and to the Desktop (double-click: opens the
rem      interface). The launcher sets PYTHONUTF8=1.
rem Messages are in Vietnamese; "chcp 65001" comes before the first non-ASCII line so that
rem cmd.exe reads and prints them as UTF-8 (the file has no BOM: cmd would choke on it).
setlocal EnableExtensions DisableDelayedExpansion
set "OLD_CP="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "OLD_CP=%%C"
chcp 65001 >nul

set "KIT=%~dp0"
set "WHEELS=%~dp0wheels"
set "HOME_DIR=%LOCALAPPDATA%\Programs\nhandao-kit"
set "VENV=%LOCALAPPDATA%\Programs\nhandao-kit\venv"
set "PYTHONUTF8=1"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PY="
set "CODE=1"

echo ============================================================
echo   Cài đặt nhandao – bộ cài không cần mạng (cho máy đã có Python)
echo ============================================================
echo.

if "%LOCALAPPDATA%"=="" goto no_localappdata
if not exist "%WHEELS%\nhandao-*.whl" goto no_wheels
if not exist "%KIT%nhandao.bat" goto no_wheels

rem 1. Python: the py launcher first (newest first), then python on PATH.
rem "-3.13-64" is the py launcher's way to ask for 64-bit; newer launchers may only know
rem "-3.13", tried next (try_python checks the bitness anyway).
for %%V in (3.13 3.12 3.11 3.10) do if not defined PY call :try_python py -%%V-64
for %%V in (3.13 3.12 3.11 3.10) do if not defined PY call :try_python py -%%V
if not defined PY call :try_python python
if not defined PY goto no_python
rem The version goes through a file, not "for /f" over a command: Wine's cmd once gave that an
rem empty output (CI, 2 December 2026), and a file is as plain on Microsoft's cmd.
set "PYVER="
set "PYVER_FILE=%TEMP%\nhandao-pyver-%RANDOM%.txt"
if "%TEMP%"=="" set "PYVER_FILE=%LOCALAPPDATA%\nhandao-pyver-%RANDOM%.txt"
%PY% -c "import sys; print(sys.version.split()[0])" > "%PYVER_FILE%" 2>nul
if exist "%PYVER_FILE%" set /p PYVER=<"%PYVER_FILE%"
if exist "%PYVER_FILE%" del "%PYVER_FILE%" >nul 2>&1
echo Dùng Python %PYVER% (lệnh: %PY%).

rem 2. A fresh virtual environment: it holds the program only, never the data.
if not exist "%HOME_DIR%\" mkdir "%HOME_DIR%"
if not exist "%HOME_DIR%\" goto no_home
if exist "%VENV%\" rmdir /s /q "%VENV%"
if exist "%VENV%\" goto venv_busy
echo Đang tạo môi trường Python riêng cho nhandao ở:
echo   %VENV%
%PY% -m venv "%VENV%"
if errorlevel 1 goto venv_failed
if not exist "%VENV%\Scripts\python.exe" goto venv_failed

rem 3. The program and its libraries, from the kit only.
echo Đang cài nhandao từ bộ cài (không cần mạng)...
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%WHEELS%" --only-binary=:all: --no-warn-script-location nhandao
if errorlevel 1 goto pip_failed
"%VENV%\Scripts\nhandao.exe" --help >nul 2>&1
if errorlevel 1 goto check_failed

rem 4. The launcher: in the program's folder, and on the Desktop.
copy /y "%KIT%nhandao.bat" "%HOME_DIR%\nhandao.bat" >nul
if errorlevel 1 goto launcher_failed
set "DESKTOP="
for /f "usebackq delims=" %%D in (`powershell -NoProfile -Command "[Environment]::GetFolderPath('Desktop')" 2^>nul`) do set "DESKTOP=%%D"
if not defined DESKTOP set "DESKTOP=%USERPROFILE%\Desktop"
set "ON_DESKTOP=0"
if exist "%DESKTOP%\" copy /y "%KIT%nhandao.bat" "%DESKTOP%\nhandao.bat" >nul && set "ON_DESKTOP=1"

echo.
echo ============================================================
echo   Đã cài xong nhandao.
echo ============================================================
if "%ON_DESKTOP%"=="1" echo - Mở chương trình: bấm đúp vào tệp nhandao.bat trên màn hình Desktop.
if not "%ON_DESKTOP%"=="1" echo - Mở chương trình: bấm đúp vào tệp "%HOME_DIR%\nhandao.bat".
echo - Dùng trong cửa sổ dòng lệnh, ví dụ lần đầu tạo kho cho đơn vị của mình:
echo     "%HOME_DIR%\nhandao.bat" init --unit MÃ_ĐƠN_VỊ
echo - Dữ liệu (kho) nằm ở %LOCALAPPDATA%\nhandao. Cài lại hay gỡ chương trình
echo   không xoá dữ liệu này.
echo - Nên dùng Windows Terminal để giao diện hiển thị đẹp nhất.
set "CODE=0"
goto end

rem ---- try_python: set PY to the command given if it is Python 3.10-3.13, 64-bit ----
:try_python
%* -c "import sys, struct; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) and struct.calcsize('P') == 8 else 1)" >nul 2>&1
if not errorlevel 1 set "PY=%*"
exit /b 0

rem ---- failures: one message each, an exit code each (2 kit incomplete, 3 no Python,
rem ---- 4 old install busy, 5 venv, 6 pip, 7 program does not start, 8 launcher, 9 folders),
rem ---- then wait so that the window stays open ----
:no_localappdata
set "CODE=9"
echo LỖI: không biết thư mục LOCALAPPDATA của người dùng này, nên không cài được.
goto end

:no_wheels
set "CODE=2"
echo LỖI: thiếu các tệp của bộ cài bên cạnh tệp này:
echo   %KIT%
echo Cần có thư mục "wheels" (chứa nhandao-*.whl) và tệp nhandao.bat. Hãy chép lại
echo nguyên cả thư mục nhandao-kit từ USB, rồi chạy lại cai-dat.bat.
goto end

:no_python
set "CODE=3"
echo LỖI: không tìm thấy Python phù hợp trên máy này.
echo Cần Python 3.10, 3.11, 3.12 hoặc 3.13, bản 64-bit (không phải bản 32-bit).
where py >nul 2>&1 && echo Các bản Python mà lệnh py tìm thấy:
where py >nul 2>&1 && py -0
echo Hãy làm một trong hai cách:
echo   1. Cài Python 3.10 đến 3.13 bản 64-bit (nên dùng 3.12) từ bộ cài Python có sẵn
echo      trong USB, nhớ chọn "Add python.exe to PATH", rồi chạy lại cai-dat.bat;
echo   2. Hoặc dùng bộ cài nhandao-*-cai-dat.exe, đã có sẵn Python, không cần cài thêm gì.
goto end

:no_home
set "CODE=9"
echo LỖI: không tạo được thư mục "%HOME_DIR%".
goto end

:venv_busy
set "CODE=4"
echo LỖI: không xoá được bản cài cũ ở "%VENV%".
echo Có thể nhandao đang chạy: hãy đóng mọi cửa sổ nhandao rồi chạy lại cai-dat.bat.
goto end

:venv_failed
set "CODE=5"
echo LỖI: Python %PYVER% không tạo được môi trường riêng (python -m venv) ở:
echo   %VENV%
echo Bản Python này có thể thiếu thành phần venv/pip. Hãy cài lại Python bằng bộ cài đầy đủ
echo từ python.org (64-bit), hoặc dùng bộ cài nhandao-*-cai-dat.exe.
goto end

:pip_failed
set "CODE=6"
echo LỖI: pip không cài được nhandao từ thư mục:
echo   %WHEELS%
echo Bộ cài này có các gói cho Python 3.10 đến 3.13 bản 64-bit. Xem thông báo của pip ở trên;
echo nếu thiếu tệp, hãy chép lại nguyên thư mục nhandao-kit từ USB rồi chạy lại.
goto end

:check_failed
set "CODE=7"
echo LỖI: đã cài nhưng chương trình không chạy được. Thử chạy lệnh sau để xem lỗi:
echo   "%VENV%\Scripts\nhandao.exe" --help
goto end

:launcher_failed
set "CODE=8"
echo LỖI: không chép được tệp nhandao.bat vào "%HOME_DIR%".
goto end

:end
echo.
echo Nhấn phím bất kỳ để đóng cửa sổ này.
pause >nul
if defined OLD_CP chcp %OLD_CP% >nul
endlocal & exit /b %CODE%
