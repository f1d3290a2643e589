@echo off
rem Launcher of nhandao installed by cai-dat.bat (the offline kit). It runs the program of the
rem virtual environment %LOCALAPPDATA%\Programs\nhandao-kit\venv with Python's UTF-8 mode
rem (PYTHONUTF8=1) and passes its arguments on: "nhandao.bat summary", "nhandao.bat init ...".
rem Without arguments (a double-click) it opens the interface and, if the program stops with an
rem error, waits for a key so that the window does not vanish before the message is read.
setlocal EnableExtensions DisableDelayedExpansion
set "OLD_CP="
for /f "tokens=2 delims=:." %%C in ('chcp') do set "OLD_CP=%%C"
chcp 65001 >nul
set "NHANDAO_EXE=%LOCALAPPDATA%\Programs\nhandao-kit\venv\Scripts\nhandao.exe"
set "PYTHONUTF8=1"
set "CODE=1"
if not exist "%NHANDAO_EXE%" goto missing
"%NHANDAO_EXE%" %*
set "CODE=%ERRORLEVEL%"
if not "%~1"=="" goto end
if "%CODE%"=="0" goto end
goto wait

:missing
echo LỖI: không tìm thấy chương trình nhandao ở:
echo   %NHANDAO_EXE%
echo Hãy chạy lại tệp cai-dat.bat trong thư mục nhandao-kit (từ USB).

:wait
echo.
echo Nhấn phím bất kỳ để đóng cửa sổ này.
pause >nul

:end
if defined OLD_CP chcp %OLD_CP% >nul
endlocal & exit /b %CODE%
